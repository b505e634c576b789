"""Card types come from a registry; the example plugin's sixth card reaches every place a
built-in card does — page editor, catalogue, ordering, rendering — with no change to our code."""

import re

import pytest
from django.urls import reverse
from wagtail import hooks

from blocks.registry import CardPolicy, CardType, registry
from initiatives.models import InitiativePage
from tests.conftest import card

from .conftest import list_block, page_form_data, revision_cards

BUILT_IN = ["news", "map", "iot", "tender", "election"]


def pledge(title="Bench by the pond", pledges=(("Anna", "25.00", "2026-04-01"),)):
    return {
        "title": title,
        "cause": "A bench",
        "pledges": [{"name": name, "amount": amount, "date": date} for name, amount, date in pledges],
    }


def public_html(client, page):
    response = client.get(page.url_path.replace("/ctylab-home", "", 1))
    assert response.status_code == 200
    return response.text


def test_built_in_cards_and_the_plugin_register_through_the_same_hook():
    names = registry.names()
    assert names[:5] == BUILT_IN
    assert "pledge" in names
    from_hooks = [card_type.name for hook in hooks.get_hooks("register_card_types") for card_type in hook()]
    assert sorted(from_hooks) == sorted(names)


def test_card_type_names_must_be_identifiers():
    with pytest.raises(ValueError, match="must be a Python identifier"):
        CardType("not a name", object())


def test_the_stream_block_takes_its_children_from_the_registry():
    stream_block = InitiativePage._meta.get_field("cards").stream_block
    assert list(stream_block.child_blocks) == registry.names()
    # ... and the field never freezes them into a migration.
    assert InitiativePage._meta.get_field("cards").deconstruct()[2] == []


def test_policies_from_every_app_are_combined(db):
    class NoMaps(CardPolicy):
        def allows_new(self, name):
            return name != "map"

        def shows(self, name):
            return name != "map"

    with hooks.register_temporarily("card_policy", lambda page: NoMaps()):
        policy = registry.policy()
        assert not policy.allows_new("map") and not policy.shows("map")
        assert policy.allows_new("pledge") and policy.shows("news")
    assert registry.policy().allows_new("map")


class TestExamplePlugin:
    def test_in_the_page_editor(self, admin_client, make_initiative):
        page = make_initiative(cards=[])
        edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        html = admin_client.get(edit_url).text
        # The stream's block definition offers the sixth card next to ours.
        assert re.search(r"&quot;pledge&quot;", html) and re.search(r"&quot;tender&quot;", html)

        value = pledge()
        value["pledges"] = list_block(value["pledges"])
        data = page_form_data(page, [{"type": "pledge", "id": "pledge-1", "value": value}], action="action-publish")
        response = admin_client.post(edit_url, data)
        assert response.status_code == 302, response.context["form"].errors if response.context else response
        stored = revision_cards(page)
        assert stored[0]["type"] == "pledge" and stored[0]["value"]["pledges"][0]["value"]["name"] == "Anna"
        page.refresh_from_db()
        assert page.cards[0].block_type == "pledge"

    def test_in_the_catalogue(self, admin_client, editor_client, catalogue):
        entry = catalogue["pledge"]
        assert (entry.display_name_en, entry.category, entry.icon) == ("Pledges", "Fund", "group")
        assert "Pledges" in editor_client.get(reverse("catalogue:browse")).text
        index = admin_client.get(reverse("catalogue_cardtypeentry_modeladmin_index")).text
        assert "Pledges" in index and "pledge" in index

    def test_in_the_activity_order(self, client, make_initiative):
        page = make_initiative(card_order="activity", cards=[
            card("news", {"title": "News 2020", "items": [{"headline": "h", "date": "2020-01-01", "body": "", "image": None, "link": ""}]}),
            card("pledge", pledge(title="Pledges 2026", pledges=(("Anna", "5", "2025-01-01"), ("Bob", "7", "2026-03-01")))),
            card("news", {"title": "News 2024", "items": [{"headline": "h", "date": "2024-01-01", "body": "", "image": None, "link": ""}]}),
        ])
        titles = re.findall(r'<h2 class="card__title" id="[^"]*"[^>]*>([^<]*)</h2>', public_html(client, page))
        assert titles == ["Pledges 2026", "News 2024", "News 2020"]

    def test_rendered_on_the_public_page(self, client, make_initiative):
        page = make_initiative(cards=[card("pledge", pledge(pledges=(("Anna", "25", "2026-04-01"), ("Bob", "10", "2026-04-02"))))])
        html = public_html(client, page)
        assert 'data-card-type="pledge" data-activity="2026-04-02T00:00:00+02:00"' in html
        assert "Pledged so far: € 35 by 2" in html
