"""The example presets: loaded once, left alone afterwards, and each added in one step."""

from django.core.management import call_command
from django.urls import reverse

from catalogue.examples import STARTER_PRESETS
from catalogue.models import CardContract, CardPreset

from .conftest import revision_cards

NAMES = ["Solar yield meter", "Street party poll", "Request quotes for paving"]
ALL_NAMES = NAMES + [preset["name"] for preset in STARTER_PRESETS]


def test_loaded_once_and_then_left_as_the_admins_made_them(db, capsys):
    call_command("load_catalogue_presets")
    assert list(CardPreset.objects.values_list("name", flat=True)) == ALL_NAMES
    CardPreset.objects.filter(name="Street party poll").update(description="Our own words", retired=True)
    call_command("load_catalogue_presets")
    assert "All example presets are there already." in capsys.readouterr().out
    assert CardPreset.objects.count() == len(ALL_NAMES)
    assert CardPreset.objects.get(name="Street party poll").description == "Our own words"


def test_each_example_is_added_in_one_step(editor_client, make_initiative, catalogue):
    call_command("load_catalogue_presets")
    page = make_initiative(cards=[])
    for preset in CardPreset.objects.filter(name__in=NAMES):
        response = editor_client.post(reverse("catalogue:add"), {"preset": preset.pk, "page": page.pk})
        assert response.status_code == 302, preset.name
    draft = revision_cards(page)
    assert [item["type"] for item in draft] == ["iot", "election", "tender"]
    assert draft[0]["value"]["unit"] == "kWh"
    assert draft[2]["value"]["request"] == "Paving for a jeu-de-boules court (15 × 4 m)"
    assert CardContract.objects.filter(page=page).count() == 3
