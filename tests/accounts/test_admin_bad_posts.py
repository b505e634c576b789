"""Bad input to the admin never gives a 500 (issue 15: "bad input never gives a 500").

Three cases found by hand — ``set_position`` on the tree's root, an empty external-link
chooser form, a page edit without its stream's management fields — each answer 400 or a form
error and change nothing. Then every admin URL pattern the project has (Wagtail's and ours,
``/admin/`` and ``/django-admin/``) is posted to, empty and with garbage, as a superuser and as
an initiative's editor: no answer is a server error.
"""

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.models import Page

from accounts import services
from governance import services as governance
from governance.models import Role

pytestmark = pytest.mark.django_db

EXTERNAL_LINK = "/admin/choose-external-link/"


@pytest.fixture
def world(make_initiative, make_resident, with_totp):
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    a = make_initiative(title="Alpha initiative", slug="alpha")
    a_child = make_initiative(title="Alpha child", slug="alpha-child", parent=a)
    frontrunner = make_resident(display_name="Frontrunner A")
    editor = make_resident(display_name="Editor A")
    governance.join(a, frontrunner, Role.FRONTRUNNER)
    governance.join(a, editor, Role.PARTICIPANT)
    services.invite_editor(a, editor, by=frontrunner)
    with_totp(editor)
    superuser = make_resident(display_name="Site admin", is_superuser=True, is_staff=True)
    with_totp(superuser)
    collection = services.ensure_editor_group(a).collection
    image = get_image_model().objects.create(title="Alpha image", file=get_test_image_file(), collection=collection)
    document = get_document_model().objects.create(
        title="Alpha document", file=ContentFile(b"text", name="alpha.txt"), collection=collection
    )
    revision = Page.objects.get(pk=a.pk).latest_revision_id
    return {"a": a, "a_child": a_child, "editor": editor, "revision": revision, "superuser": superuser, "image": image,
            "document": document, "collection": collection}


def state(world):
    """What a refused request must not change."""
    pages = [(p.pk, p.title, p.path, p.live, p.latest_revision_id) for p in Page.objects.order_by("pk")]
    return pages, Page.objects.get(pk=world["a"].pk).revisions.count()


# --- the three cases found by hand ------------------------------------------------------------


@pytest.mark.parametrize("who", ["superuser", "editor"])
@pytest.mark.parametrize("query", ["?position=0", "?position=1", "", "?position=abc"])
def test_set_position_of_the_root_is_a_400(client, world, who, query):
    client.force_login(world[who])
    before = state(world)
    response = client.post(f"/admin/pages/{Page.get_first_root_node().pk}/set_position/{query}")
    assert response.status_code in (400, 403), response.status_code
    assert state(world) == before


def test_set_position_of_a_page_still_works(client, world, make_initiative):
    second = make_initiative(title="Alpha second", slug="alpha-second", parent=world["a"])
    client.force_login(world["superuser"])
    response = client.post(f"/admin/pages/{second.pk}/set_position/?position=0")
    assert response.status_code == 200
    assert [p.pk for p in world["a"].get_children()] == [second.pk, world["a_child"].pk]


@pytest.mark.parametrize("who", ["superuser", "editor"])
@pytest.mark.parametrize(
    "data",
    [{}, {"external-link-chooser-url": ""}, {"external-link-chooser-link_text": "x"}, {"url": "https://x.example"}],
)
def test_empty_external_link_form_says_the_url_is_required(client, world, who, data):
    client.force_login(world[who])
    response = client.post(EXTERNAL_LINK, data)
    assert response.status_code == 200, response.status_code
    payload = response.json()
    assert payload["step"] == "external_link" and "This field is required" in payload["html"]


def test_external_link_form_still_chooses_a_link(client, world):
    client.force_login(world["editor"])
    response = client.post(EXTERNAL_LINK, {"external-link-chooser-url": "https://example.org/roof"})
    assert response.json()["result"]["url"] == "https://example.org/roof"


def edit_form(world, **changes):
    data = {
        "title": "Alpha renamed", "slug": "alpha", "summary": "s", "content_language": "nl",
        "municipality": "Utrecht", "latitude": "", "longitude": "", "ambitions": "", "card_order": "manual",
        "cards-count": "0", "action-publish": "action-publish",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.parametrize("who", ["superuser", "editor"])
@pytest.mark.parametrize(
    "changes",
    [
        {"cards-count": None},
        {"cards-count": "abc"},
        {"cards-count": "-1"},
        {"cards-count": "1"},  # and no card fields at all
        {"cards-count": "1", "cards-0-type": "news", "cards-0-deleted": "", "cards-0-order": "x"},
        {"cards-count": "1", "cards-0-type": "news", "cards-0-deleted": "", "cards-0-order": "0",
         "cards-0-value-title": "t"},  # the news card's own list without its count
        {"cards-count": "99999999999999999999999"},
    ],
)
def test_page_edit_without_the_streams_management_fields_is_a_form_error(client, world, who, changes):
    client.force_login(world[who])
    before = state(world)
    response = client.post(f"/admin/pages/{world['a'].pk}/edit/", edit_form(world, **changes))
    assert response.status_code == 200, response.status_code
    assert "could not be read: the form was sent incomplete" in response.text
    assert state(world) == before
    assert Page.objects.get(pk=world["a"].pk).title == "Alpha initiative"


def test_page_edit_with_its_management_fields_still_saves(client, world):
    client.force_login(world["editor"])
    response = client.post(f"/admin/pages/{world['a'].pk}/edit/", edit_form(world))
    assert response.status_code == 302
    assert Page.objects.get(pk=world["a"].pk).title == "Alpha renamed"


# --- every admin URL, posted to empty and with garbage -----------------------------------------

GARBAGE = {
    # Management fields of formsets and streams, ids, positions, dates, choices and JSON.
    "count": "abc", "cards-count": "x", "form-TOTAL_FORMS": "x", "form-INITIAL_FORMS": "-1",
    "id": "abc", "pk": "-1", "position": "99999999999999999999", "page": "x", "p": "-5", "q": "\uffff",
    "title": "x" * 5000, "slug": "../..", "name": "\u202e", "email": "not-an-address", "url": "javascript:alert(1)",
    "collection": "abc", "chooser": "abc", "parent_page": "x", "new_parent_page": "x", "tags": '"' * 200,
    "go_live_at": "2026-13-45 25:61", "expire_at": "yesterday", "date": "31-31-31", "action": "\x7f",
    "next": "//evil.example", "json": "{" * 50, "value": "[" * 2000, "permissions": "x",
    "file": "not a file", "title-0": "x", "image": "x", "document": "x", "initiative": "x",
    "external-link-chooser-url": "", "email-link-chooser-email_address": "x", "phone-link-chooser-phone_number": "",
    "anchor-link-chooser-url": "", "select-format-format": "x", "image-chooser-upload-file": "x",
}
GARBAGE_QUERY = "?position=abc&id=x&id=99999999999999999999&p=-1&ordering=%27&q=%00&childOf=x&next=//evil&page=x"

SKIP = {
    # Signing out ends the session the walk runs in (its answer is a redirect either way).
    "wagtailadmin_logout", "logout",
}


def admin_patterns(resolver=None, prefix="", namespace=""):
    """(route, name, namespace) of every URL pattern under /admin/ and /django-admin/."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + route_text(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else (pattern.namespace or namespace)
            yield from admin_patterns(pattern, route, inner)
        elif isinstance(pattern, URLPattern) and route.startswith(("admin/", "django-admin/")):
            yield route, pattern.name, namespace


def route_text(pattern):
    text = str(pattern)
    if hasattr(pattern, "regex") and not hasattr(pattern, "converters"):
        text = text.removeprefix("^").removesuffix("$").removesuffix("\\Z")
    return text


def values_for(world, namespace):
    image, document, a = world["image"], world["document"], world["a"]
    by_namespace = {
        "wagtailimages": image.pk, "wagtaildocs": document.pk, "wagtailadmin_collections": world["collection"].pk,
        "wagtailusers_users": world["editor"].pk, "wagtailusers_groups": world["collection"].pk,
    }
    pk = next((value for key, value in by_namespace.items() if key in namespace), a.pk)
    return {
        "int": pk, "page_id": a.pk, "parent_page_id": a.pk, "page_to_move_id": world["a_child"].pk,
        "destination_id": a.pk, "image_id": image.pk, "document_id": document.pk, "doc_id": document.pk,
        "revision_id": world["revision"], "app_label": "initiatives",
        "model_name": "initiativepage", "content_type_app_name": "initiatives",
        "content_type_model_name": "initiativepage", "app_name": "initiatives", "filter_spec": "original",
        "action_name": "approve", "action": "publish", "revision_id_a": "earliest", "revision_id_b": "latest",
    }


def fill(route, values):
    """The route as a path: converters and named groups replaced, regex syntax dropped."""

    def value(name, kind="str"):
        if name in values:
            return str(values[name])
        return str(values["int"]) if kind in ("int", "pk") or name.endswith(("id", "pk")) else "x"

    path = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: value(m.group(2), m.group(1) or "str"), route)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: value(m.group(1)), path)
    path = re.sub(r"\((?:\?:)?[^)]*\)\??", "", path)  # optional unnamed groups
    return "/" + path.replace("\\", "").replace("^", "").replace("$", "").replace("?", "")


PATTERNS = sorted(set(admin_patterns()), key=lambda p: ("delete" in p[0] or "delete" in (p[1] or ""), p[0]))


def test_the_walk_covers_wagtails_admin_and_ours():
    routes = {route for route, _name, _ns in PATTERNS}
    assert len(routes) > 250, len(routes)
    assert {"admin/pages/<int:page_to_move_id>/set_position/", "admin/choose-external-link/", "admin/sensor_devices/",
            "admin/tenders/<int:tender_id>/quotes/", "admin/governance_proposals/edit/<int:pk>/",
            "admin/^catalogue/cardpreset/create/$", "admin/card-catalogue/add/", "django-admin/"} <= routes


@pytest.mark.parametrize("who", ["superuser", "editor"])
@pytest.mark.parametrize("payload", ["empty", "garbage"])
def test_no_admin_url_answers_a_post_with_a_server_error(client, world, who, payload):
    client.raise_request_exception = False
    failures = []
    for route, name, namespace in PATTERNS:
        if name in SKIP:
            continue
        url = fill(route, values_for(world, namespace))
        if payload == "garbage":
            url += GARBAGE_QUERY
        client.force_login(world[who])
        response = client.post(url, GARBAGE if payload == "garbage" else {})
        if response.status_code >= 500:
            failures.append(f"{response.status_code} POST {url} ({namespace}:{name})")
    assert not failures, "\n".join(failures)
