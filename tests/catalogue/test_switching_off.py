"""Switching a card type off never loses content: new cards of the type are refused, cards
already stored stay byte for byte, are shown or hidden as the site admin chose, and come back
untouched when the type is switched on again."""

import re

import pytest
from django.urls import reverse

from catalogue.models import CardTypeEntry
from tests.conftest import card

from .conftest import (
    card_errors,
    card_type_form,
    entry_edit_url,
    list_block,
    page_form_data,
    revision_cards,
    stored_cards_json,
    switch,
)

REFUSED = "New “Tender” cards cannot be added: this card type is switched off."


def tender_form(block_id, request="Pave the court"):
    return {"type": "tender", "id": block_id, "value": {
        "title": "Quotes wanted", "request": request, "description": "", "budget_min": "5000",
        "budget_max": "9000", "deadline": "2030-06-01 17:00", "status": "open",
        "contact_name": "", "contact_email": ""}}


def map_form(block_id, title="Where"):
    return {"type": "map", "id": block_id, "value": {"title": title, "places": list_block([
        {"label": "Buurthuis", "description": "", "latitude": "52.1", "longitude": "5.1"}]), "geojson": ""}}


def public_types(client, page):
    html = client.get(page.url_path.replace("/ctylab-home", "", 1)).text
    return re.findall(r'data-card-type="([a-z_]+)"', html)


def edit(client, page, cards, action="action-publish"):
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), page_form_data(page, cards, action=action))


def test_switch_off_refuse_keep_and_switch_on_round_trip(client, admin_client, editor_client, make_initiative, catalogue):
    page = make_initiative(cards=[], card_order="manual")
    cards = [tender_form("tender-1"), map_form("map-1")]
    assert edit(editor_client, page, cards).status_code == 302
    stored = stored_cards_json(page)
    assert '"tender-1"' in stored and public_types(client, page) == ["tender", "map"]

    # A site admin switches the tender off; existing tenders keep showing.
    tender = catalogue["tender"]
    response = admin_client.post(entry_edit_url(tender), card_type_form(tender, enabled=False, when_disabled="keep"))
    assert response.status_code == 302
    assert not CardTypeEntry.objects.get(name="tender").enabled

    # An editor cannot add a new one: the form says which type, and nothing is stored.
    response = edit(editor_client, page, [*cards, tender_form("tender-2", "Fence")])
    assert response.status_code == 200
    assert REFUSED in " ".join(card_errors(response))
    assert stored_cards_json(page) == stored
    assert "tender-2" not in str(revision_cards(page))

    # Saving the page with the tender it already had is fine, and stores it unchanged.
    assert edit(editor_client, page, cards).status_code == 302
    assert stored_cards_json(page) == stored
    assert public_types(client, page) == ["tender", "map"]

    # "Hide": visitors no longer see it, but it stays stored, also through another save.
    response = admin_client.post(entry_edit_url(tender), card_type_form(CardTypeEntry.objects.get(pk=tender.pk), when_disabled="hide"))
    assert response.status_code == 302
    assert public_types(client, page) == ["map"]
    assert edit(editor_client, page, cards).status_code == 302
    assert stored_cards_json(page) == stored

    # Switched on again: the very same card is back, and new tenders may be added again.
    response = admin_client.post(entry_edit_url(tender), card_type_form(CardTypeEntry.objects.get(pk=tender.pk), enabled=True))
    assert response.status_code == 302
    assert stored_cards_json(page) == stored
    assert public_types(client, page) == ["tender", "map"]
    assert edit(editor_client, page, [*cards, tender_form("tender-2", "Fence")]).status_code == 302
    assert public_types(client, page) == ["tender", "map", "tender"]


def test_a_draft_card_of_a_type_switched_off_later_is_kept(editor_client, make_initiative, catalogue):
    page = make_initiative(cards=[])
    cards = [tender_form("draft-tender")]
    assert edit(editor_client, page, cards, action=None).status_code == 302  # a draft only
    switch("tender", enabled=False)
    assert edit(editor_client, page, cards, action=None).status_code == 302
    assert [item["id"] for item in revision_cards(page)] == ["draft-tender"]


def test_a_card_cannot_be_smuggled_in_under_an_existing_id(editor_client, make_initiative, catalogue):
    page = make_initiative(cards=[card("map", {"title": "Where", "places": [], "geojson": ""}, block_id="known-id")])
    switch("tender", enabled=False)
    response = edit(editor_client, page, [tender_form("known-id")])
    assert response.status_code == 200 and REFUSED in " ".join(card_errors(response))


def test_a_new_page_cannot_start_with_a_disabled_type(editor_client, home, catalogue):
    switch("tender", enabled=False)
    url = reverse("wagtailadmin_pages:add", args=["initiatives", "initiativepage", home.pk])

    class New:
        title, slug, summary, municipality, card_order, content_language = "Nieuw", "nieuw", "S", "Delft", "manual", "nl"

    response = editor_client.post(url, page_form_data(New, [tender_form("t")]))
    assert response.status_code == 200 and REFUSED in " ".join(card_errors(response))


def test_restoring_an_old_revision_with_the_card_is_not_refused(editor_client, make_initiative, catalogue):
    page = make_initiative(cards=[])
    assert edit(editor_client, page, [tender_form("old-tender")]).status_code == 302
    page.refresh_from_db()
    old_revision = page.get_latest_revision()
    assert edit(editor_client, page, [map_form("map-1")]).status_code == 302  # the tender is removed
    switch("tender", enabled=False)
    url = reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, old_revision.pk])
    response = editor_client.post(url, page_form_data(page, [tender_form("old-tender")], action="action-publish"))
    assert response.status_code == 302, response.context["form"].errors
    page.refresh_from_db()
    assert [child.id for child in page.cards] == ["old-tender"]


@pytest.mark.parametrize("when_disabled", ["keep", "hide"])
def test_disabled_type_on_the_public_page(client, make_initiative, catalogue, when_disabled):
    page = make_initiative(cards=[card("tender", {"title": "T", "request": "R", "description": "", "budget_min": None,
        "budget_max": None, "deadline": "2030-01-01T00:00:00+00:00", "status": "open", "contact_name": "",
        "contact_email": ""}), card("map", {"title": "M", "places": [], "geojson": ""})])
    switch("tender", enabled=False, when_disabled=when_disabled)
    expected = ["tender", "map"] if when_disabled == "keep" else ["map"]
    assert public_types(client, page) == expected
