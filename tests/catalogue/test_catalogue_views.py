"""The catalogue in the admin: rows made automatically, missing types kept, where each type
is used, and what editors browse (search, categories, previews, contract templates)."""

import re

from django.urls import reverse
from wagtail.users.models import UserProfile

from blocks.registry import registry
from catalogue.models import CardPreset, CardTypeEntry
from catalogue.services import sync_card_types
from tests.conftest import card

INDEX = "catalogue_cardtypeentry_modeladmin_index"


def test_every_registered_type_has_a_row_after_migrate(db):
    assert set(CardTypeEntry.objects.values_list("name", flat=True)) >= set(registry.names())


def test_rows_come_back_with_the_clock_not_a_get(admin_client, catalogue):
    from catalogue.tasks import sync_card_types as clock_sync

    CardTypeEntry.objects.filter(name="map").delete()
    assert admin_client.get(reverse(INDEX)).status_code == 200
    assert not CardTypeEntry.objects.filter(name="map").exists()  # a GET writes nothing
    assert clock_sync.enqueue().return_value == ["map"]
    entry = CardTypeEntry.objects.get(name="map")
    assert (entry.display_name_en, entry.category, entry.icon) == ("Map", "Places", "site")


def test_rows_from_code_keep_what_the_admin_changed(catalogue):
    CardTypeEntry.objects.filter(name="map").update(display_name_en="Kaart", enabled=False)
    assert sync_card_types() == []
    assert CardTypeEntry.objects.filter(name="map", display_name_en="Kaart", enabled=False).exists()


def test_a_type_gone_from_code_is_shown_as_missing_never_deleted(admin_client, editor_client, catalogue):
    CardTypeEntry.objects.create(name="petition", display_name_en="Petition")
    sync_card_types()
    index = admin_client.get(reverse(INDEX)).text
    assert "Petition" in index and "Missing: no longer registered in code" in index
    assert CardTypeEntry.objects.filter(name="petition").exists()
    assert "Petition" not in editor_client.get(reverse("catalogue:browse")).text
    assert editor_client.get(reverse("catalogue:detail", args=["petition"])).status_code == 404


def test_where_each_type_is_used(admin_client, make_initiative, catalogue):
    def tender():
        return card("tender", {"title": "", "request": "R", "description": "", "budget_min": None, "budget_max": None,
                               "deadline": "2030-01-01T00:00:00+00:00", "status": "open", "contact_name": "", "contact_email": ""})

    zonnedak = make_initiative(title="Zonnedak", cards=[tender(), tender(), card("map", {"title": "", "places": [], "geojson": ""})])
    baan = make_initiative(title="Buurtbaan", cards=[tender()])
    park = make_initiative(title="Park", cards=[])
    park.cards = [tender()]
    park.save_revision()  # only in a draft: still "used"
    make_initiative(title="Quiet", cards=[])

    html = admin_client.get(reverse(INDEX) + "?q=tender").text
    row = re.search(r"4 cards on (.*?)</td>", html, re.S).group(1)
    links = re.findall(r'<a href="/admin/pages/(\d+)/edit/">([^<]+)</a>', row)
    assert links == [(str(baan.pk), "Buurtbaan"), (str(park.pk), "Park"), (str(zonnedak.pk), "Zonnedak")]
    assert "1 card on" in admin_client.get(reverse(INDEX) + "?q=map").text
    assert "Not used" in admin_client.get(reverse(INDEX) + "?q=election").text


def test_the_settings_list_filters_by_category(admin_client, catalogue):
    html = admin_client.get(reverse(INDEX) + "?category=Measure").text
    assert "Sensor" in html and "Tender" not in html


class TestBrowsing:
    def test_search(self, editor_client, catalogue):
        CardPreset.objects.create(card_type=catalogue["election"], name="Street party poll")
        html = editor_client.get(reverse("catalogue:browse") + "?q=quotes").text
        assert 'data-card-type="tender"' in html and 'data-card-type="map"' not in html
        html = editor_client.get(reverse("catalogue:browse") + "?q=street+party").text
        assert 'data-card-type="election"' in html and 'data-card-type="tender"' not in html
        assert "No card matches." in editor_client.get(reverse("catalogue:browse") + "?q=zzzz").text

    def test_filter_by_category(self, editor_client, catalogue):
        html = editor_client.get(reverse("catalogue:browse") + "?category=Measure").text
        assert re.findall(r'<tr data-card-type="(\w+)"', html) == ["iot"]
        assert '<option value="Measure" selected>' in html

    def test_description_help_contract_and_presets(self, editor_client, catalogue):
        tender = catalogue["tender"]
        tender.help_text = "Ask at least three firms."
        tender.contract = [{"type": "compensation", "value": {"what": "A thank-you dinner", "details": ""}}]
        tender.save()
        CardPreset.objects.create(card_type=tender, name="Second", position=2)
        CardPreset.objects.create(card_type=tender, name="First", position=1, description="Paving quotes")
        CardPreset.objects.create(card_type=tender, name="Old one", position=0, retired=True)
        html = editor_client.get(reverse("catalogue:detail", args=["tender"])).text
        assert "Ask local businesses and residents for quotes." in html
        assert "Ask at least three firms." in html and "A thank-you dinner" in html
        assert html.index("First") < html.index("Second") and "Old one" not in html
        assert f'src="{reverse("catalogue:preview", args=["tender"])}"' in html

    def test_preview_shows_the_card_as_visitors_see_it(self, editor_client, catalogue):
        tender = catalogue["tender"]
        tender.default_values = {"request": "Paving for the court"}
        tender.save()
        response = editor_client.get(reverse("catalogue:preview", args=["tender"]))
        assert response.status_code == 200 and response["X-Frame-Options"] == "SAMEORIGIN"
        assert 'data-card-type="tender"' in response.text and "Paving for the court" in response.text
        assert "ctylab/site.css" in response.text
        preset = CardPreset.objects.create(card_type=tender, name="Fence", values={"request": "A fence"})
        html = editor_client.get(reverse("catalogue:preview_preset", args=[preset.pk])).text
        assert "A fence" in html

    def test_disabled_types_are_shown_but_cannot_be_added(self, editor_client, make_initiative, catalogue):
        make_initiative(cards=[])
        CardTypeEntry.objects.filter(name="tender").update(enabled=False)
        html = editor_client.get(reverse("catalogue:detail", args=["tender"])).text
        assert "Tender cards are switched off: no new ones can be added." in html
        assert 'name="card_type" value="tender"' not in html
        assert 'name="card_type" value="map"' in editor_client.get(reverse("catalogue:detail", args=["map"])).text

    def test_names_and_descriptions_in_the_editors_language(self, editor, editor_client, catalogue):
        CardTypeEntry.objects.filter(name="tender").update(
            display_name_en="Quote request", display_name_nl="Offerteaanvraag", description_nl="Vraag offertes aan."
        )
        assert "Quote request" in editor_client.get(reverse("catalogue:browse")).text
        profile = UserProfile.get_for_user(editor)
        profile.preferred_language = "nl"
        profile.save()
        html = editor_client.get(reverse("catalogue:browse")).text
        assert "Offerteaanvraag" in html and "Vraag offertes aan." in html
