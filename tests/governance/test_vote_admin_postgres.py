"""Admin edits of card votes racing page publications on PostgreSQL: no deadlock, and the
card and the vote agree at the end.

Run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db>; skipped on SQLite.
"""

import datetime
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connections
from django.utils import timezone

from governance import services
from governance.models import Proposal, Role
from initiatives.models import InitiativePage
from tests.conftest import card

ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL: set DATABASE_URL=postgres://… to run"),
    pytest.mark.django_db(transaction=True),
]
ROUNDS = 6


def value(question, now):
    return {
        "title": "", "question": question, "description": "", "kind": "for_against", "options": [],
        "opens_at": (now + datetime.timedelta(days=1)).isoformat(),
        "closes_at": (now + datetime.timedelta(days=8)).isoformat(),
        "rule": "simple", "qualified_percent": None, "quorum_percent": None, "electorate": "members",
    }


def test_edits_and_publications_at_once_never_deadlock_and_agree(make_initiative, make_user):
    now = timezone.now().replace(second=0, microsecond=0)
    page = make_initiative(cards=[card("election", value("First?", now), "vote-a"),
                                  card("election", value("Second?", now), "vote-b")])
    frontrunner = make_user("front")
    services.join(page, frontrunner, Role.FRONTRUNNER)
    first, second = (Proposal.objects.get(initiative=page, election_block_id=b) for b in ("vote-a", "vote-b"))

    def edit(vote, round_):
        try:
            closes = now + datetime.timedelta(days=9 + round_)
            services.vote_admin.edit_vote(vote, frontrunner, {"closes_at": closes})
        finally:
            connections.close_all()

    def publish(_round):
        try:
            InitiativePage.objects.get(pk=page.pk).save_revision().publish()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = []
        for round_ in range(ROUNDS):
            futures += [pool.submit(edit, second, round_), pool.submit(publish, round_),
                        pool.submit(edit, first, round_)]
        for future in futures:
            future.result(timeout=120)  # a deadlock would raise here

    live = InitiativePage.objects.get(pk=page.pk)
    for child in live.cards:
        vote = Proposal.objects.get(initiative=page, election_block_id=child.id)
        assert services.card_votes.frozen_changes(vote, child.value) == []
