"""Catalogue changes are recorded in Wagtail's log entries: who changed what, and when."""

from django.urls import reverse
from wagtail.models import ModelLogEntry

from catalogue.models import CardPreset, CardTypeEntry
from catalogue.services import sync_card_types

from .conftest import card_type_form, contract_form, entry_edit_url


def logs(instance, action=None):
    entries = ModelLogEntry.objects.filter(object_id=str(instance.pk), content_type__model=instance._meta.model_name)
    return entries.filter(action=action) if action else entries


def test_who_changed_which_fields_from_what_to_what(admin_client, site_admin, catalogue):
    tender = catalogue["tender"]
    response = admin_client.post(
        entry_edit_url(tender), card_type_form(tender, enabled=False, icon="form", help_text="For quotes.")
    )
    assert response.status_code == 302

    change = logs(tender, "catalogue.edit").get()
    assert change.user == site_admin and change.timestamp
    assert change.data["changes"] == {
        "enabled": {"before": True, "after": False},
        "icon": {"before": "tasks", "after": "form"},
        "help_text": {"before": "", "after": "For quotes."},
    }
    assert change.message == "Changed enabled, icon, help for editors"
    assert logs(tender, "catalogue.disable").get().user == site_admin
    assert not logs(tender, "wagtail.edit").exists()  # no bare "Edited" next to ours

    history = admin_client.get(reverse("catalogue_cardtypeentry_modeladmin_history", args=[tender.pk])).text
    assert "Switched off" in history and "Changed enabled, icon, help for editors" in history

    admin_client.post(entry_edit_url(tender), card_type_form(CardTypeEntry.objects.get(pk=tender.pk), enabled=True))
    assert logs(tender, "catalogue.enable").get().user == site_admin


def test_contract_and_default_changes_are_recorded_with_their_values(admin_client, catalogue):
    tender = catalogue["tender"]
    terms = [{"type": "resource", "value": {"what": "Three quotes", "amount": ""}}]
    admin_client.post(entry_edit_url(tender), card_type_form(tender, default_values='{"request": "Paving"}', contract=terms))
    change = logs(tender, "catalogue.edit").get()
    assert change.data["changes"]["default_values"] == {"before": {}, "after": {"request": "Paving"}}
    assert change.data["changes"]["contract"]["after"][0]["value"]["what"] == "Three quotes"


def test_saving_without_changes_records_nothing(admin_client, catalogue):
    tender = catalogue["tender"]
    assert admin_client.post(entry_edit_url(tender), card_type_form(tender)).status_code == 302
    assert not logs(tender).exclude(action="catalogue.register").exists()


def test_rows_made_from_code_are_recorded_as_done_by_the_system(catalogue):
    CardTypeEntry.objects.filter(name="pledge").delete()
    (entry,) = sync_card_types()
    registered = logs(entry, "catalogue.register").get()
    assert registered.user is None and registered.message == "Registered from code"


def test_preset_lifecycle(admin_client, site_admin, catalogue):
    data = {"name": "Solar yield meter", "card_type": catalogue["iot"].pk, "description": "", "values": "{}", "initial-values": "{}",
            "position": "0", **contract_form([])}
    admin_client.post(reverse("catalogue_cardpreset_modeladmin_create"), data)
    preset = CardPreset.objects.get()
    assert logs(preset, "wagtail.create").get().user == site_admin
    admin_client.post(reverse("catalogue_cardpreset_modeladmin_edit", args=[preset.pk]), {**data, "retired": "on"})
    assert logs(preset, "catalogue.retire").get().user == site_admin
    assert logs(preset, "catalogue.edit").get().data["changes"] == {"retired": {"before": False, "after": True}}
    admin_client.post(reverse("catalogue_cardpreset_modeladmin_delete", args=[preset.pk]))
    assert logs(preset, "wagtail.delete").get().user == site_admin
