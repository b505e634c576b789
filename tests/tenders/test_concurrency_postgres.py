"""Concurrent bidders on PostgreSQL: 200 submissions and replacements by 50 bidders at once
leave exactly one active quote per bidder (issue 12, 5).

Run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db>; skipped on SQLite, which
serialises all writers and so cannot show a race.
"""

import datetime
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections
from django.utils import timezone

from governance.services import log
from tenders import services
from tenders.models import Quote, QuoteStatus
from tenders.services.bidding import contents, new_form_token

from .conftest import BLOCK_ID

ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL: set DATABASE_URL=postgres://… to run"),
    pytest.mark.django_db(transaction=True),
]

BIDDERS = 50
SUBMISSIONS = 200
THREADS = 16


def test_200_concurrent_submissions_by_50_bidders_leave_one_active_quote_each(initiative, tender):
    User = get_user_model()
    users = User.objects.bulk_create(
        [User(username=f"bidder{i}", email=f"bidder{i}@example.org", password="!") for i in range(BIDDERS)]
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users]
    )
    today = timezone.localdate()
    jobs = [(users[n % BIDDERS], Decimal(6000 + n)) for n in range(SUBMISSIONS)]

    def bid(user, amount):
        try:
            return user.pk, services.submit_quote(
                initiative.pk,
                BLOCK_ID,
                user,
                amount=amount,
                offer=f"Offer {amount}",
                delivery_date=today + datetime.timedelta(days=30),
                valid_until=today + datetime.timedelta(days=60),
                token=new_form_token(),
            )
        finally:
            connections.close_all()

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(lambda job: bid(*job), jobs))

    assert len(results) == SUBMISSIONS
    active = Quote.objects.filter(tender=tender, status=QuoteStatus.ACTIVE)
    assert active.count() == BIDDERS
    assert sorted(active.values_list("bidder_id", flat=True)) == sorted(user.pk for user in users)
    assert Quote.objects.filter(tender=tender).count() == SUBMISSIONS
    # Each bidder's active quote is one of the amounts they sent.
    sent = {}
    for user, amount in jobs:
        sent.setdefault(user.pk, set()).add(f"{amount:.2f}")
    for quote in active:
        assert contents(quote)["amount"] in sent[quote.bidder_id]
    # Every submission's receipt is in the log, which is intact.
    assert log.problems(initiative.pk) == []
    from governance.models import LogEntry

    # The card hides the count: each submission is logged under the neutral kind.
    assert LogEntry.objects.filter(initiative=initiative, kind="withheld", payload__kind="tender.quote").count() == SUBMISSIONS
