"""An extension made in the tenders admin reaches the card: the card, search and the activity
order read one deadline (issue 12, 2). It is written back as a revision published by the
system and logged; an editor's unpublished draft keeps its changes and gets the deadline."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from governance.models import LogEntry
from initiatives.models import InitiativePage
from search.models import SearchDocument
from tenders import services
from tenders.models import Tender

from .conftest import BLOCK_ID

pytestmark = pytest.mark.django_db


def _card_deadline(page):
    return next(child.value["deadline"] for child in page.cards if child.id == BLOCK_ID)


def test_an_extension_in_the_admin_is_published_on_the_card(client, initiative, tender, frontrunner):
    frontrunner.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(frontrunner)
    later = timezone.localtime(tender.deadline + datetime.timedelta(days=5)).replace(second=0)
    revisions_before = initiative.revisions.count()
    response = client.post(
        reverse("tenders_admin:extend", args=[tender.pk]), {"deadline": later.strftime("%Y-%m-%dT%H:%M")}
    )
    assert response.status_code == 302
    page = InitiativePage.objects.get(pk=initiative.pk)
    assert Tender.objects.get(pk=tender.pk).deadline == later
    assert _card_deadline(page) == later
    assert page.next_moment_at == later  # the activity order's next moment
    assert page.revisions.count() == revisions_before + 1
    assert page.live_revision.user is None  # published by the system
    assert PageLogEntry.objects.filter(page=page, action="wagtail.publish", user__isnull=True).exists()
    entry = LogEntry.objects.get(kind="tender.deadline_extended")
    assert entry.payload["card_revision"] == page.live_revision.pk
    document = SearchDocument.objects.get(page=page, block_id=BLOCK_ID)
    assert document.closes_at == later
    html = client.get(page.url).content.decode()
    assert later.isoformat() in html or timezone.localtime(later).isoformat() in html


def test_an_editors_draft_keeps_its_changes_and_gets_the_new_deadline(initiative, tender, frontrunner):
    page = InitiativePage.objects.get(pk=initiative.pk)
    page.title = "Jeu de boules (draft title)"
    page.save_revision()
    later = tender.deadline + datetime.timedelta(days=2)
    services.extend_deadline(tender, later, user=frontrunner)
    page = InitiativePage.objects.get(pk=initiative.pk)
    assert page.title == "Jeu de boules" and _card_deadline(page) == later
    assert page.has_unpublished_changes
    draft = page.get_latest_revision_as_object()
    assert draft.title == "Jeu de boules (draft title)" and _card_deadline(draft) == later
    # Publishing the draft keeps the extension (no earlier deadline comes back).
    page.get_latest_revision().publish()
    assert Tender.objects.get(pk=tender.pk).deadline == later
    assert _card_deadline(InitiativePage.objects.get(pk=initiative.pk)) == later


def test_an_extension_made_on_the_card_publishes_nothing_more(initiative, tender, deadline):
    from .conftest import tender_card

    page = InitiativePage.objects.get(pk=initiative.pk)
    page.cards = [tender_card(deadline + datetime.timedelta(days=1))]
    page.save_revision().publish()
    assert initiative.revisions.count() == 2  # the creation's and the editor's, none by the system
    assert LogEntry.objects.get(kind="tender.deadline_extended").payload["card_revision"] is None
