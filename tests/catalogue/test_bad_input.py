"""Bad input on every catalogue form: a clear message, and nothing stored."""

import json

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from catalogue.models import CardPreset, CardTypeEntry
from catalogue.validators import error_messages

from .conftest import card_type_form, contract_form, entry_edit_url


def form_errors(response):
    assert response.status_code == 200, response
    form = response.context["form"]
    return " | ".join(str(message) for errors in form.errors.as_data().values()
                      for error in errors for message in error_messages(error))


def stored():
    return (list(CardTypeEntry.objects.order_by("pk").values()), list(CardPreset.objects.order_by("pk").values()),
            ModelLogEntry.objects.filter(action__startswith="catalogue.").count())


def goal(kind, **value):
    return {"type": kind, "value": value}


CARD_TYPE_CASES = [
    ({"default_values": "{oops"}, "Enter a valid JSON."),
    ({"default_values": "[" * 99_000 + "]" * 99_000}, "This JSON is nested more than 64 levels deep."),
    ({"default_values": '{"title": ' + "[" * 900 + "]" * 900 + "}"}, "This JSON is nested more than 64 levels deep."),
    ({"default_values": "[1, 2]"}, 'Give an object of field names and values, for example {"title": "Our roof"}.'),
    ({"default_values": '{"colour": "red"}'},
     "The Tender card has no field(s) colour. Its fields are: title, request, description, budget_min, budget_max, deadline, status, contact_name, contact_email, show_quote_count, publish_losing_amounts."),
    ({"default_values": '{"deadline": "tomorrow"}'}, 'deadline: "tomorrow" is not a valid value for this field.'),
    # Issue 15, kind 7: wall-clock times the clocks skip or show twice in Europe/Amsterdam.
    ({"default_values": '{"deadline": "2026-03-29T02:30:00"}'},
     "deadline: 2026-03-29 02:30 does not exist in the time zone Europe/Amsterdam: the clocks skip that hour. "
     "Give the time with its UTC offset."),
    ({"default_values": '{"deadline": "2026-10-25T02:30:00"}'},
     "deadline: 2026-10-25 02:30 happens twice in the time zone Europe/Amsterdam: the clocks are set back that "
     "night. Give the time with its UTC offset: 2026-10-25T02:30+02:00 or 2026-10-25T02:30+01:00."),
    ({"default_values": '{"budget_min": -5}'}, "budget_min: Ensure this value is greater than or equal to 0."),
    ({"default_values": '{"budget_min": "lots"}'}, 'budget_min: "lots" is not a valid value for this field.'),
    ({"default_values": '{"status": "maybe"}'}, "status: Select a valid choice. maybe is not one of the available choices."),
    ({"default_values": '{"contact_email": "not an address"}'}, "contact_email: Enter a valid email address."),
    ({"icon": "unicorn"}, "There is no admin icon called “unicorn”."),
    ({"when_disabled": "explode"}, "Select a valid choice. explode is not one of the available choices."),
    ({"display_name_en": "x" * 81}, "Ensure this value has at most 80 characters (it has 81)."),
    ({"contract": [goal("deadline_goal", label="Soon", date="", days_after_adding="")]},
     "Give either a deadline date or a number of days after adding, not both."),
    ({"contract": [goal("deadline_goal", label="Soon", date="2030-01-01", days_after_adding="3")]},
     "Give either a deadline date or a number of days after adding, not both."),
    ({"contract": [goal("amount_goal", label="Raise", target="0", unit="€")]},
     "Ensure this value is greater than or equal to 0.01."),
    ({"contract": [goal("participants_goal", label="", target="ten")]}, "Enter a whole number."),
]


@pytest.mark.parametrize(("changes", "message"), CARD_TYPE_CASES)
def test_card_type_form(admin_client, catalogue, changes, message):
    before = stored()
    tender = catalogue["tender"]
    response = admin_client.post(entry_edit_url(tender), card_type_form(tender, enabled=False, **changes))
    assert message in form_errors(response)
    assert "The card type could not be saved due to errors." in response.text
    assert stored() == before


def test_card_type_form_accepts_good_defaults(admin_client, catalogue):
    tender = catalogue["tender"]
    defaults = {"request": "Paving", "deadline": "2030-01-01T12:00:00+01:00", "budget_min": "100", "status": "closed"}
    response = admin_client.post(entry_edit_url(tender), card_type_form(tender, default_values=json.dumps(defaults)))
    assert response.status_code == 302
    assert CardTypeEntry.objects.get(pk=tender.pk).default_values == defaults


def preset_form(entry, **changes):
    data = {"name": "Request quotes for paving", "card_type": entry.pk, "description": "Quotes for a court.",
            "values": '{"request": "Paving"}', "initial-values": "{}", "position": "1"}
    contract = changes.pop("contract", [])
    data.update(changes)
    data.update(contract_form(contract))
    return data


PRESET_CASES = [
    ({"name": ""}, "This field is required."),
    ({"card_type": ""}, "This field is required."),
    ({"card_type": "999999"}, "Select a valid choice. That choice is not one of the available choices."),
    ({"values": "not json"}, "Enter a valid JSON."),
    ({"values": "{" * 50_000 + "}" * 50_000}, "This JSON is nested more than 64 levels deep."),
    ({"values": '"just text"'}, "Give an object of field names and values"),
    ({"values": '{"deadline": "2030-13-45T99:00"}'}, 'deadline: "2030-13-45T99:00" is not a valid value for this field.'),
    ({"values": '{"budget_min": "900", "budget_max": 1e99}'}, "budget_max: Ensure that there are no more than 12 digits in total."),
    ({"position": "-1"}, "Ensure this value is greater than or equal to 0."),
    ({"contract": [goal("resource", what="", amount="")]}, "This field is required."),
]


@pytest.mark.parametrize(("changes", "message"), PRESET_CASES)
def test_preset_create_form(admin_client, catalogue, changes, message):
    before = stored()
    response = admin_client.post(reverse("catalogue_cardpreset_modeladmin_create"), preset_form(catalogue["tender"], **changes))
    assert message in form_errors(response)
    assert stored() == before


def test_preset_names_are_unique(admin_client, catalogue):
    CardPreset.objects.create(card_type=catalogue["tender"], name="Request quotes for paving")
    before = stored()
    response = admin_client.post(reverse("catalogue_cardpreset_modeladmin_create"), preset_form(catalogue["tender"]))
    assert "Card preset with this Name already exists." in form_errors(response)
    assert stored() == before


def test_preset_edit_form(admin_client, catalogue):
    preset = CardPreset.objects.create(card_type=catalogue["tender"], name="Request quotes for paving")
    before = stored()
    url = reverse("catalogue_cardpreset_modeladmin_edit", args=[preset.pk])
    response = admin_client.post(url, preset_form(catalogue["tender"], values='{"status": "maybe"}'))
    assert "status: Select a valid choice." in form_errors(response)
    assert stored() == before


def test_presets_of_a_type_whose_code_is_gone(admin_client, catalogue):
    gone = CardTypeEntry.objects.create(name="petition", display_name_en="Petition")
    before = stored()
    response = admin_client.post(reverse("catalogue_cardpreset_modeladmin_create"), preset_form(gone, values="{}"))
    assert "The code of this card type is missing, so presets of it cannot be changed." in form_errors(response)
    assert stored() == before


@pytest.mark.parametrize(("data", "message"), [
    ({"card_type": "map"}, "Choose the page to add the card to."),
    ({"card_type": "map", "page": "abc"}, "Choose the page to add the card to."),
    ({"card_type": "map", "page": "999999"}, "You may not edit that page."),
])
def test_add_form(editor_client, catalogue, make_initiative, data, message):
    page = make_initiative(cards=[])
    revisions = page.revisions.count()
    response = editor_client.post(reverse("catalogue:add"), data, follow=True)
    assert message in response.text
    assert page.revisions.count() == revisions


def test_add_form_unknown_type_or_preset_and_get(editor_client, catalogue, make_initiative):
    page = make_initiative(cards=[])
    assert editor_client.post(reverse("catalogue:add"), {"card_type": "nope", "page": page.pk}).status_code == 404
    assert editor_client.post(reverse("catalogue:add"), {"preset": "999", "page": page.pk}).status_code == 404
    assert editor_client.post(reverse("catalogue:add"), {"preset": "x", "page": page.pk}).status_code == 404
    assert editor_client.get(reverse("catalogue:add")).status_code == 405
