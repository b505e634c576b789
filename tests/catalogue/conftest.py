"""Fixtures of the catalogue tests: a site admin, an editor of the platform's pages, and
helpers to drive the page editor's form the way a browser posts it."""

import json
import uuid

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.urls import reverse
from wagtail.models import GroupPagePermission

from catalogue.models import CardTypeEntry
from catalogue.services import sync_card_types
from tests.signed_in import SignedInClient as Client


@pytest.fixture
def site_admin(django_user_model, db):
    return django_user_model.objects.create_superuser("siteadmin", "admin@example.org", "pw")


@pytest.fixture
def editors_group(home):
    """Editors as Wagtail sets them up: admin access and page permissions on the platform."""
    group = Group.objects.create(name="Initiative editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group, page=home, permission=Permission.objects.get(codename=codename)
        )
    return group


@pytest.fixture
def editor(django_user_model, editors_group):
    user = django_user_model.objects.create_user("editor", "editor@example.org", "pw")
    user.groups.add(editors_group)
    return user


@pytest.fixture
def admin_client(site_admin):
    client = Client()
    client.force_login(site_admin)
    return client


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def catalogue(db):
    """The catalogue rows, one per registered card type, by name."""
    sync_card_types()
    return {entry.name: entry for entry in CardTypeEntry.objects.all()}


def switch(name, enabled, when_disabled="keep"):
    CardTypeEntry.objects.filter(name=name).update(enabled=enabled, when_disabled=when_disabled)


def stored_cards_json(page):
    """The page's cards exactly as the database holds them (text, byte for byte)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT CAST(cards AS TEXT) FROM initiatives_initiativepage WHERE page_ptr_id = %s", [page.pk]
        )
        return cursor.fetchone()[0]


def _flatten(prefix, value, data):
    if isinstance(value, dict):
        for key, sub in value.items():
            _flatten(f"{prefix}-{key}", sub, data)
    elif isinstance(value, list):
        data[f"{prefix}-count"] = len(value)
        for index, item in enumerate(value):
            _flatten(f"{prefix}-{index}", item, data)
    else:
        data[prefix] = "" if value is None else value


def list_block(items):
    """A ListBlock's form data: items wrapped as the editor posts them."""
    return [{"value": item, "id": str(uuid.uuid4()), "deleted": "", "order": index} for index, item in enumerate(items)]


def page_form_data(page, cards, action=None, **overrides):
    """POST data of the page editor for ``page`` with the stream ``cards``.

    ``cards`` are dicts {"type", "value", "id"} with values in form shape (a ListBlock's items
    passed through ``list_block``).
    """
    data = {
        "title": page.title,
        "slug": page.slug,
        "summary": page.summary,
        "content_language": page.content_language,
        "municipality": page.municipality,
        "latitude": "",
        "longitude": "",
        "ambitions": "",
        "hero_image": "",
        "card_order": page.card_order,
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "comments-TOTAL_FORMS": 0,
        "comments-INITIAL_FORMS": 0,
        "comments-MIN_NUM_FORMS": 0,
        "comments-MAX_NUM_FORMS": 1000,
        "cards-count": len(cards),
    }
    for index, item in enumerate(cards):
        data[f"cards-{index}-type"] = item["type"]
        data[f"cards-{index}-id"] = item["id"]
        data[f"cards-{index}-deleted"] = ""
        data[f"cards-{index}-order"] = index
        _flatten(f"cards-{index}-value", item["value"], data)
    if action:
        data[action] = "1"
    data.update(overrides)
    return data


def revision_cards(page):
    page.refresh_from_db()
    content = page.latest_revision.content["cards"]
    return json.loads(content) if isinstance(content, str) else content


def card_type_form(entry, **changes):
    """POST data of the site admins' card type form: the entry as it is, with ``changes``."""
    values = {
        "enabled": entry.enabled,
        "when_disabled": entry.when_disabled,
        "display_name_en": entry.display_name_en,
        "display_name_nl": entry.display_name_nl,
        "description_en": entry.description_en,
        "description_nl": entry.description_nl,
        "category": entry.category,
        "icon": entry.icon,
        "help_text": entry.help_text,
        "default_values": json.dumps(entry.default_values),
        "contract": list(entry.contract.raw_data),
    }
    values.update(changes)
    data = {key: value for key, value in values.items() if key not in ("enabled", "contract")}
    # A JSONField with a callable default renders its initial value in a hidden input too.
    data["initial-default_values"] = json.dumps(entry.default_values)
    if values["enabled"]:
        data["enabled"] = "on"
    data.update(contract_form(values["contract"]))
    return data


def contract_form(terms, prefix="contract"):
    """Form data of a contract stream: ``terms`` as [{"type", "value"}]."""
    data = {f"{prefix}-count": len(terms)}
    for index, term in enumerate(terms):
        data[f"{prefix}-{index}-type"] = term["type"]
        data[f"{prefix}-{index}-id"] = term.get("id") or str(uuid.uuid4())
        data[f"{prefix}-{index}-deleted"] = ""
        data[f"{prefix}-{index}-order"] = index
        _flatten(f"{prefix}-{index}-value", term["value"], data)
    return data


def entry_edit_url(entry):
    return reverse("catalogue_cardtypeentry_modeladmin_edit", args=[entry.pk])


def card_errors(response):
    """The messages the page editor shows on the cards (they travel as JSON to the widget)."""
    from catalogue.validators import error_messages

    errors = response.context["form"].errors.as_data().get("cards", [])
    return [str(message) for error in errors for message in error_messages(error)]
