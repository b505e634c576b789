"""Editors browse the catalogue read-only; only site admins change it — also when someone
posts to the modeladmin URLs directly."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from catalogue.models import CardPreset, CardTypeEntry

from .conftest import card_type_form, contract_form, entry_edit_url


def preset_form(card_type, **changes):
    data = {"name": "Solar yield meter", "card_type": card_type.pk, "description": "", "values": "{}", "initial-values": "{}",
            "position": 0, **contract_form([])}
    data.update(changes)
    return data


def snapshot():
    return (
        list(CardTypeEntry.objects.order_by("pk").values()),
        list(CardPreset.objects.order_by("pk").values()),
    )


@pytest.fixture
def preset(catalogue):
    return CardPreset.objects.create(card_type=catalogue["iot"], name="Solar yield meter", values={"unit": "kWh"})


def modeladmin_url(model, action, *args):
    return reverse(f"catalogue_{model}_modeladmin_{action}", args=args)


def refused(response):
    # Wagtail turns PermissionDenied into a redirect to the dashboard with a message.
    return response.status_code in (302, 403) and (
        response.status_code == 403 or response.url.rstrip("/") == reverse("wagtailadmin_home").rstrip("/")
    )


def test_editors_can_browse_the_catalogue(editor_client, catalogue, preset):
    response = editor_client.get(reverse("catalogue:browse"))
    assert response.status_code == 200
    assert "Tender" in response.text and "Solar yield meter" in response.text
    assert editor_client.get(reverse("catalogue:detail", args=["iot"])).status_code == 200
    assert editor_client.get(reverse("catalogue:preview", args=["iot"])).status_code == 200
    assert editor_client.get(reverse("catalogue:preview_preset", args=[preset.pk])).status_code == 200


def test_editors_do_not_see_the_settings(editor_client, admin_client, catalogue):
    dashboard = editor_client.get(reverse("wagtailadmin_home")).text
    assert "Catalogue settings" not in dashboard and "Card catalogue" in dashboard
    assert "Catalogue settings" in admin_client.get(reverse("wagtailadmin_home")).text
    browse = editor_client.get(reverse("catalogue:browse")).text
    assert modeladmin_url("cardtypeentry", "index") not in browse


def test_anonymous_visitors_are_sent_to_log_in(client, catalogue):
    response = client.get(reverse("catalogue:browse"))
    assert response.status_code == 302 and "login" in response.url


def test_editor_cannot_change_the_catalogue_by_posting_directly(editor_client, catalogue, preset):
    before = snapshot()
    tender = catalogue["tender"]
    attempts = [
        editor_client.get(modeladmin_url("cardtypeentry", "index")),
        editor_client.get(entry_edit_url(tender)),
        editor_client.post(entry_edit_url(tender), card_type_form(tender, enabled=False)),
        editor_client.post(modeladmin_url("cardtypeentry", "delete", tender.pk)),
        editor_client.post(modeladmin_url("cardtypeentry", "create"), card_type_form(tender)),
        editor_client.get(modeladmin_url("cardpreset", "index")),
        editor_client.post(modeladmin_url("cardpreset", "create"), preset_form(tender, name="Sneaky")),
        editor_client.post(modeladmin_url("cardpreset", "edit", preset.pk), preset_form(preset.card_type, retired="on")),
        editor_client.post(modeladmin_url("cardpreset", "delete", preset.pk)),
    ]
    assert all(refused(response) for response in attempts), [r.status_code for r in attempts]
    assert snapshot() == before
    assert not ModelLogEntry.objects.filter(action__in=["catalogue.edit", "wagtail.create", "wagtail.delete"]).exists()


def test_nobody_creates_or_deletes_card_types(admin_client, catalogue):
    tender = catalogue["tender"]
    assert refused(admin_client.post(modeladmin_url("cardtypeentry", "create"), card_type_form(tender)))
    assert refused(admin_client.post(modeladmin_url("cardtypeentry", "delete", tender.pk)))
    assert CardTypeEntry.objects.filter(pk=tender.pk).exists()


def test_site_admins_manage_presets(admin_client, catalogue):
    response = admin_client.post(modeladmin_url("cardpreset", "create"), preset_form(catalogue["iot"]))
    assert response.status_code == 302
    preset = CardPreset.objects.get(name="Solar yield meter")
    response = admin_client.post(modeladmin_url("cardpreset", "edit", preset.pk),
                                 preset_form(catalogue["iot"], position=3, retired="on"))
    assert response.status_code == 302
    preset.refresh_from_db()
    assert preset.position == 3 and preset.retired
    assert admin_client.post(modeladmin_url("cardpreset", "delete", preset.pk)).status_code == 302
    assert not CardPreset.objects.exists()
