"""A page with an open vote stays on the site by every path: an ancestor unpublished with its
descendants, Wagtail's bulk unpublish, delete and move, deleting or moving an ancestor, and
scheduled expiry. Each refusal names the vote; nothing changes until a frontrunner cancels."""

import datetime
import html

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageLogEntry

from governance import services
from governance.models import Proposal, ProposalStatus, Role
from initiatives.tasks import publish_scheduled
from tests.conftest import card

BLOCK = "card-guarded"
QUESTION = "Shall we plant lime trees?"
REFUSED = f"has a vote that is open (“{QUESTION}”)"


@pytest.fixture
def moderator(django_user_model, db):
    return django_user_model.objects.create_superuser("moderator", "m@example.org", "pw")


@pytest.fixture
def tree(make_initiative, now):
    """A parent initiative without votes; its child has an open vote; a grandchild, none."""
    value = {
        "title": "", "question": QUESTION, "description": "", "kind": "for_against", "options": [],
        "opens_at": (now - datetime.timedelta(hours=1)).isoformat(),
        "closes_at": (now + datetime.timedelta(days=3)).isoformat(),
        "rule": "simple", "qualified_percent": None, "quorum_percent": None, "electorate": "members",
    }
    parent = make_initiative(title="Wijk Oost", slug="wijk-oost")
    child = make_initiative(title="Lindenlaan", slug="lindenlaan", parent=parent, cards=[card("election", value, BLOCK)])
    vote = Proposal.objects.get(initiative=child, election_block_id=BLOCK)
    assert vote.status == ProposalStatus.OPEN
    return {"parent": parent, "child": child, "vote": vote}


def state(*pages):
    return [Page.objects.filter(pk=page.pk).values_list("live", "path").first() for page in pages]


def said(response):
    return html.unescape(response.content.decode())


def cancel(vote, make_user):
    frontrunner = make_user("cancelling-frontrunner")
    services.join(vote.initiative, frontrunner, Role.FRONTRUNNER)
    services.cancel_proposal(vote, frontrunner, "The question was unclear.")


def test_unpublishing_an_ancestor_with_its_descendants_is_refused(client, moderator, tree, make_user):
    client.force_login(moderator)
    before = state(tree["parent"], tree["child"])
    url = reverse("wagtailadmin_pages:unpublish", args=[tree["parent"].pk])
    response = client.post(url, {"include_descendants": "on"}, follow=True)
    assert "“Lindenlaan” " + REFUSED in said(response)
    assert state(tree["parent"], tree["child"]) == before

    # Without its descendants the ancestor may go: the vote's page stays live.
    client.post(url)
    assert state(tree["parent"], tree["child"]) == [(False, before[0][1]), before[1]]

    cancel(tree["vote"], make_user)
    client.post(reverse("wagtailadmin_pages:unpublish", args=[tree["child"].pk]))
    assert not Page.objects.get(pk=tree["child"].pk).live


def test_deleting_an_ancestor_or_the_page_is_refused(client, moderator, tree):
    client.force_login(moderator)
    for page in (tree["parent"], tree["child"]):
        url = reverse("wagtailadmin_pages:delete", args=[page.pk])
        # Even the confirmation page says no, before anyone types the site name.
        response = client.get(url, follow=True)
        assert REFUSED in said(response)
        response = client.post(url, {"confirm_site_name": "Ctylab"}, follow=True)
        assert REFUSED in said(response)
    assert Page.objects.filter(pk=tree["child"].pk).exists() and Page.objects.filter(pk=tree["parent"].pk).exists()


def test_moving_the_page_or_an_ancestor_is_refused(client, moderator, tree, home, make_initiative):
    client.force_login(moderator)
    elsewhere = make_initiative(title="Elders", slug="elders")
    before = state(tree["parent"], tree["child"])
    for page in (tree["parent"], tree["child"]):
        url = reverse("wagtailadmin_pages:move_confirm", args=[page.pk, elsewhere.pk])
        response = client.post(url, follow=True)
        assert REFUSED in said(response)
    assert state(tree["parent"], tree["child"]) == before


def test_bulk_unpublish_delete_and_move_are_refused(client, moderator, tree, make_initiative, make_user):
    client.force_login(moderator)
    elsewhere = make_initiative(title="Elders", slug="elders")
    parent, child = tree["parent"], tree["child"]
    before = state(parent, child)
    bulk = "/admin/bulk/wagtailcore/page/{}/?id={}&next=/admin/pages/"

    response = client.post(bulk.format("unpublish", parent.pk), {"include_descendants": "on"}, follow=True)
    assert REFUSED in said(response)
    response = client.post(bulk.format("unpublish", child.pk), {}, follow=True)
    assert REFUSED in said(response)
    response = client.post(bulk.format("delete", parent.pk), {"confirm_site_name": "Ctylab"}, follow=True)
    assert REFUSED in said(response)
    response = client.post(bulk.format("move", parent.pk), {"chooser": elsewhere.pk}, follow=True)
    assert REFUSED in said(response)
    assert state(parent, child) == before
    assert Page.objects.filter(pk=child.pk).exists()

    # Bulk-unpublishing the ancestor alone is allowed; after cancelling, the page may go too.
    client.post(bulk.format("unpublish", parent.pk), {})
    assert not Page.objects.get(pk=parent.pk).live and Page.objects.get(pk=child.pk).live
    cancel(tree["vote"], make_user)
    client.post(bulk.format("unpublish", child.pk), {})
    assert not Page.objects.get(pk=child.pk).live


def test_expiry_waits_until_the_vote_has_ended(tree, make_user, make_initiative):
    child = tree["child"]
    past = timezone.now() - datetime.timedelta(minutes=5)
    Page.objects.filter(pk=child.pk).update(expire_at=past)
    plain = make_initiative(title="Zonder stemming", slug="plain")
    Page.objects.filter(pk=plain.pk).update(expire_at=past)

    publish_scheduled.enqueue()  # the clock's task: Wagtail's command, held where a vote runs
    call_command("publish_scheduled")  # and a second run, as the clock does every minute
    assert Page.objects.get(pk=child.pk).live
    assert not Page.objects.get(pk=plain.pk).live  # other pages expire as before
    held = PageLogEntry.objects.filter(page=child, action="initiatives.expiry_held")
    assert held.count() == 1  # said once per expiry time, not every minute
    assert QUESTION in held.get().message

    cancel(tree["vote"], make_user)
    call_command("publish_scheduled")
    page = Page.objects.get(pk=child.pk)
    assert not page.live and page.expired


def test_a_dry_run_changes_nothing(tree):
    Page.objects.filter(pk=tree["child"].pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=5))
    call_command("publish_scheduled", dryrun=True)
    assert Page.objects.get(pk=tree["child"].pk).live
    assert not PageLogEntry.objects.filter(action="initiatives.expiry_held").exists()


def test_an_expiry_before_the_vote_closes_is_refused_at_the_field(client, moderator, home):
    from .test_card_votes import BLOCK as CARD
    from .test_card_votes import election_form, local, page_form, publish_new

    client.force_login(moderator)
    page = publish_new(client, home, [("election", election_form(), CARD)])
    vote = Proposal.objects.get(initiative=page, election_block_id=CARD)
    same_card = election_form(opens_at=local(vote.opens_at), closes_at=local(vote.closes_at))
    too_early = local(vote.closes_at - datetime.timedelta(days=1))
    data = page_form([("election", same_card, CARD)], slug=page.slug, expire_at=too_early, **{"action-publish": "1"})
    response = client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 200
    assert f"The vote “{vote.title}” closes at" in said(response)
    assert Page.objects.get(pk=page.pk).expire_at is None

    later = local(vote.closes_at + datetime.timedelta(days=1))
    data = page_form([("election", same_card, CARD)], slug=page.slug, expire_at=later, **{"action-publish": "1"})
    assert client.post(f"/admin/pages/{page.pk}/edit/", data).status_code == 302
    assert Page.objects.get(pk=page.pk).expire_at is not None


def test_refusals_name_votes_only_to_those_who_may_act(client, tree, make_initiative, make_user, settings):
    from accounts.models import InitiativeEditors

    settings.ACCOUNTS_REQUIRE_TWO_FACTOR_FOR_ADMIN = False
    other = make_initiative(title="Elders", slug="elders")
    editor = make_user("editor-of-another")
    editor.groups.add(InitiativeEditors.objects.get(initiative=other).group)
    client.force_login(editor)
    child = tree["child"]
    urls = [
        reverse("wagtailadmin_pages:move_confirm", args=[child.pk, other.pk]),
        reverse("wagtailadmin_pages:delete", args=[child.pk]),
        reverse("wagtailadmin_pages:unpublish", args=[child.pk]),
        f"/admin/bulk/wagtailcore/page/unpublish/?id={child.pk}",
        f"/admin/bulk/wagtailcore/page/move/?id={child.pk}",
    ]
    before = state(tree["parent"], child)
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url, follow=True)
            assert QUESTION not in said(response), f"{method} {url}"
    assert state(tree["parent"], child) == before
