"""Per-initiative editing rights: the editor group of A covers A's subtree and nothing else.

Every URL of Wagtail's page admin (``wagtail.admin.urls.pages``), the explorer, the page
chooser and the admin API are requested, by GET and by POST, for initiative B's pages as an
editor of initiative A: none answers with B's content or changes B. The same editor can do
the same things on A.
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import URLPattern, reverse
from wagtail.admin.urls import pages as page_urls
from wagtail.models import GroupPagePermission, Page

from accounts import services
from accounts.exceptions import NotAllowed
from accounts.models import InitiativeEditors
from governance import services as governance
from governance.models import Role
from initiatives.models import InitiativePage

pytestmark = pytest.mark.django_db

SECRET = "Bravo-SECRET-title"
SECRET_CHILD = "Bravo-child-SECRET"


@pytest.fixture
def world(make_initiative, make_resident, with_totp):
    a = make_initiative(title="Alpha initiative", slug="alpha")
    a_child = make_initiative(title="Alpha child", slug="alpha-child", parent=a)
    a_other = make_initiative(title="Alpha second child", slug="alpha-second", parent=a)
    b = make_initiative(title=SECRET, slug="bravo")
    b_child = make_initiative(title=SECRET_CHILD, slug="bravo-child", parent=b)
    frontrunner = make_resident(display_name="Frontrunner A")
    editor = make_resident(display_name="Editor A")
    governance.join(a, frontrunner, Role.FRONTRUNNER)
    governance.join(a, editor, Role.PARTICIPANT)
    services.invite_editor(a, editor, by=frontrunner)
    with_totp(editor)
    # A draft on B, so that B has more than one revision to compare and revert to.
    b_draft = InitiativePage.objects.get(pk=b.pk)
    b_draft.summary = "A draft of B"
    b_draft.save_revision()
    return {
        "a": a, "a_child": a_child, "a_other": a_other, "b": b, "b_child": b_child,
        "editor": editor, "frontrunner": frontrunner,
    }


def snapshot(page):
    page = Page.objects.get(pk=page.pk)
    return (page.title, page.live, page.path, page.url_path, page.revisions.count(), page.locked,
            page.get_children_count(), page.latest_revision_id)


def test_each_initiative_gets_its_own_group_on_its_own_subtree(world):
    for key in ("a", "a_child", "b", "b_child"):
        editors = InitiativeEditors.objects.get(initiative=world[key])
        permissions = GroupPagePermission.objects.filter(group=editors.group)
        assert {p.page_id for p in permissions} == {world[key].pk}
        assert {p.permission.codename for p in permissions} == {"add_page", "change_page", "publish_page"}
        assert editors.group.permissions.filter(codename="access_admin").exists()
        assert editors.collection is not None


def test_deleting_an_initiative_removes_its_group(world):
    group_id = InitiativeEditors.objects.get(initiative=world["b_child"]).group_id
    world["b_child"].delete()
    assert not Group.objects.filter(pk=group_id).exists()


def test_only_frontrunners_invite_editors_and_only_members(world, make_resident):
    a = world["a"]
    member = make_resident()
    governance.join(a, member, Role.SUPPORTER)
    with pytest.raises(NotAllowed):
        services.invite_editor(a, member, by=world["editor"])  # a participant
    outsider = make_resident()
    with pytest.raises(NotAllowed):
        services.invite_editor(a, outsider, by=world["frontrunner"])
    assert not services.is_editor(a, member) and not services.is_editor(a, outsider)


def test_invite_through_the_member_page(client, world, make_resident):
    a = world["a"]
    member = make_resident()
    governance.join(a, member, Role.SUPPORTER)
    url = reverse("accounts:invite_editor", args=[a.pk, member.pk])
    client.force_login(world["editor"])
    client.post(url)
    assert not services.is_editor(a, member)
    client.force_login(world["frontrunner"])
    response = client.post(url)
    assert response.status_code == 302
    assert services.is_editor(a, member)
    # Leaving the initiative ends the editing rights.
    governance.leave(a, member)
    assert not services.is_editor(a, member)


def fill(pattern, kwargs):
    """The path of a URL pattern with these values for its parameters."""
    regex = pattern.pattern.regex.pattern if hasattr(pattern.pattern, "regex") else str(pattern.pattern)
    names = re.findall(r"\(\?P<(\w+)>", regex) or re.findall(r"<(?:\w+:)?(\w+)>", str(pattern.pattern))
    values = {name: kwargs[name] for name in names}
    return reverse(f"wagtailadmin_pages:{pattern.name}", kwargs=values)


def kwargs_for(page, destination, revision_id):
    return {
        "page_id": page.pk, "pk": page.pk, "page_to_move_id": page.pk, "parent_page_id": page.pk,
        "destination_id": destination.pk,
        "content_type_app_name": "initiatives", "content_type_model_name": "initiativepage",
        "app_label": "initiatives", "model_name": "initiativepage",
        "revision_id": revision_id, "revision_id_a": "earliest", "revision_id_b": "latest",
        "action_name": "approve", "task_state_id": 1, "task_id": 1, "workflow_state_id": 1,
    }


PAGE_PATTERNS = [p for p in page_urls.urlpatterns if isinstance(p, URLPattern)]
# Views that list pages rather than act on one: they may answer, but never with B in them.
LISTINGS = {"type_use", "type_use_results", "choose_parent", "search", "search_results"}


def test_every_page_admin_url_is_covered():
    assert len(PAGE_PATTERNS) >= 30
    assert {"edit", "preview_on_edit", "delete", "move_confirm", "copy", "revisions_revert",
            "unpublish", "history", "revisions_compare", "usage", "workflow_preview"} <= {p.name for p in PAGE_PATTERNS}


@pytest.mark.parametrize("pattern", PAGE_PATTERNS, ids=[p.name for p in PAGE_PATTERNS])
@pytest.mark.parametrize("target", ["b", "b_child"])
def test_editor_of_a_cannot_touch_b(client, world, pattern, target):
    page = world[target]
    before = {key: snapshot(world[key]) for key in ("b", "b_child")}
    pages_before = Page.objects.count()
    client.force_login(world["editor"])
    url = fill(pattern, kwargs_for(page, world["a"], Page.objects.get(pk=page.pk).latest_revision_id))
    post_data = {
        "title": "Hijacked", "slug": "hijacked", "summary": "x", "content_language": "nl", "municipality": "x",
        "action-publish": "action-publish", "new_title": "Hijacked", "new_slug": "hijacked",
        "new_parent_page": world["a"].pk, "copy_subpages": "on", "publish_copies": "on",
        "restriction_type": "none",
    }
    for method in ("get", "post"):
        response = getattr(client, method)(url, post_data if method == "post" else None)
        body = response.content.decode(errors="replace")
        where = f"{method.upper()} {url} -> {response.status_code}"
        if pattern.name in LISTINGS:
            assert SECRET not in body and SECRET_CHILD not in body, where
            continue
        assert response.status_code in (302, 400, 403, 404, 405), where
        if response.status_code == 302 and pattern.name == "revisions_index":
            # The old revisions URL redirects to the history, which is checked on its own.
            assert response["Location"] == reverse("wagtailadmin_pages:history", args=[page.pk])
        elif response.status_code == 302:
            location = response["Location"]
            assert location in ("/admin/", reverse("wagtailadmin_home")) or location.startswith(
                (reverse("account_login"), reverse("mfa_activate_totp"))
            ), f"{where} to {location}"
        assert SECRET not in body and SECRET_CHILD not in body, where
    assert {key: snapshot(world[key]) for key in ("b", "b_child")} == before
    assert Page.objects.count() == pages_before
    assert not Page.objects.filter(title="Hijacked").exists()


def test_editor_of_a_cannot_move_a_page_into_b(client, world):
    client.force_login(world["editor"])
    url = reverse("wagtailadmin_pages:move_confirm", args=[world["a_child"].pk, world["b"].pk])
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code in (302, 403, 404), response.status_code
    assert Page.objects.get(pk=world["a_child"].pk).get_parent().pk == world["a"].pk


def test_editor_of_a_cannot_copy_a_page_into_b(client, world):
    client.force_login(world["editor"])
    url = reverse("wagtailadmin_pages:copy", args=[world["a_child"].pk])
    response = client.post(url, {"new_title": "Copied", "new_slug": "copied", "new_parent_page": world["b"].pk})
    assert not Page.objects.filter(slug="copied").exists()
    # Never the form again with B's title in its page chooser; nor a server error for garbage.
    assert response.status_code == 404 and SECRET not in response.text
    for garbage in ("", "abc", "999999"):
        response = client.post(url, {"new_title": "Copied", "new_slug": "copied", "new_parent_page": garbage})
        assert response.status_code == 404, garbage


def test_bulk_move_form_does_not_name_b(client, world):
    client.force_login(world["editor"])
    url = f"/admin/bulk/wagtailcore/page/move/?id={world['a_child'].pk}"
    response = client.post(url, {"chooser": world["b"].pk})
    assert response.status_code == 404 and SECRET not in response.text
    assert Page.objects.get(pk=world["a_child"].pk).get_parent().pk == world["a"].pk
    # Without a destination the form says so.
    response = client.post(url, {"chooser": ""})
    assert response.status_code == 200 and "This field is required" in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/pages/",
        "/admin/pages/{home}/",
        "/admin/pages/{b}/",
        "/admin/pages/{b}/results/",
        "/admin/choose-page/",
        "/admin/choose-page/{home}/",
        "/admin/choose-page/{b}/",
        "/admin/choose-page/search/?q=Bravo",
        "/admin/pages/search/?q=Bravo",
        "/admin/pages/search/results/?q=Bravo",
        "/admin/api/main/pages/?child_of={b}",
        "/admin/api/main/pages/?search=Bravo",
        "/admin/api/main/pages/{b}/",
        "/admin/api/main/pages/{b_child}/",
        "/admin/api/main/pages/?descendant_of={home}",
        "/admin/reports/locked/",
        "/admin/reports/site-history/",
        "/admin/reports/aging-pages/",
        "/admin/reports/page-types-usage/",
        "/admin/bulk/wagtailcore/page/publish/?id={b}",
        "/admin/bulk/wagtailcore/page/delete/?id={b_child}",
        "/admin/bulk/wagtailcore/page/unpublish/?id={b}",
    ],
)
def test_editor_of_a_does_not_see_b_anywhere_in_the_admin(client, world, home, path):
    client.force_login(world["editor"])
    url = path.format(home=home.pk, b=world["b"].pk, b_child=world["b_child"].pk)
    response = client.get(url, follow=True)
    body = response.content.decode(errors="replace")
    assert SECRET not in body and SECRET_CHILD not in body, (url, response.status_code)


def test_bulk_actions_on_b_change_nothing(client, world):
    client.force_login(world["editor"])
    before = snapshot(world["b"]), snapshot(world["b_child"])
    for action in ("publish", "unpublish", "delete", "move"):
        client.post(
            f"/admin/bulk/wagtailcore/page/{action}/?id={world['b'].pk}&id={world['b_child'].pk}",
            {"chooser": world["a"].pk},
        )
    assert (snapshot(world["b"]), snapshot(world["b_child"])) == before


# --- and the same editor on A ---------------------------------------------------------------


@pytest.mark.parametrize(
    "name,args",
    [
        ("edit", ["a"]),
        ("preview_on_edit", ["a"]),
        ("view_draft", ["a"]),
        ("usage", ["a"]),
        ("history", ["a"]),
        ("revisions_index", ["a"]),  # redirects to the history
        ("add_subpage", ["a"]),
        ("copy", ["a_child"]),
        ("move", ["a_child"]),
        ("delete", ["a_child"]),
        ("unpublish", ["a_child"]),
    ],
)
def test_editor_of_a_reaches_a(client, world, name, args):
    client.force_login(world["editor"])
    response = client.get(reverse(f"wagtailadmin_pages:{name}", args=[world[key].pk for key in args]), follow=True)
    assert response.status_code == 200, (name, response.status_code)
    # The old revisions URL leads to the history; with one page type, add_subpage to its form.
    assert response.redirect_chain == [] or name in ("revisions_index", "add_subpage"), response.redirect_chain


def test_editor_of_a_edits_publishes_reverts_moves_copies_unpublishes_and_deletes_in_a(client, world):
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    a, a_child, a_other = world["a"], world["a_child"], world["a_other"]
    client.force_login(world["editor"])
    first_revision = Page.objects.get(pk=a.pk).latest_revision_id
    data = nested_form_data({
        "title": "Alpha renamed", "slug": "alpha", "summary": "New summary", "content_language": "nl", "municipality": "Utrecht",
        "latitude": "", "longitude": "", "ambitions": "", "card_order": "manual", "cards": streamfield([]),
        "action-publish": "action-publish",
    })
    response = client.post(reverse("wagtailadmin_pages:edit", args=[a.pk]), data)
    assert response.status_code == 302, response.content[:500]
    assert Page.objects.get(pk=a.pk).title == "Alpha renamed"
    # Compare and revert to the first revision.
    assert client.get(reverse("wagtailadmin_pages:revisions_compare", args=[a.pk, "earliest", "latest"])).status_code == 200
    assert client.get(reverse("wagtailadmin_pages:revisions_revert", args=[a.pk, first_revision])).status_code == 200
    # Move the child under the other child, copy it back, unpublish the copy, delete it.
    response = client.post(reverse("wagtailadmin_pages:move_confirm", args=[a_child.pk, a_other.pk]))
    assert response.status_code == 302
    assert Page.objects.get(pk=a_child.pk).get_parent().pk == a_other.pk
    response = client.post(
        reverse("wagtailadmin_pages:copy", args=[a_child.pk]),
        {"new_title": "Alpha copy", "new_slug": "alpha-copy", "new_parent_page": a.pk, "publish_copies": "on"},
    )
    assert response.status_code == 302
    copy = Page.objects.get(slug="alpha-copy")
    assert client.post(reverse("wagtailadmin_pages:unpublish", args=[copy.pk])).status_code == 302
    assert not Page.objects.get(pk=copy.pk).live
    assert client.post(reverse("wagtailadmin_pages:delete", args=[copy.pk])).status_code == 302
    assert not Page.objects.filter(pk=copy.pk).exists()
    # The copy is a new initiative with its own editor group.
    assert InitiativeEditors.objects.filter(initiative__title="Alpha copy").count() == 0


# --- files, choosers and every admin JSON endpoint (issue 15, kind 2) -----------------------

B_SECRETS = ("Bravo-IMAGE-secret", "Bravo-DOCUMENT-secret", "Bravo-DRAFT-secret", "bravo-tag-secret", SECRET, SECRET_CHILD)


@pytest.fixture
def files(world, make_initiative):
    """An image and a document in each initiative's collection, B's tagged, and an unpublished
    page of B."""
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    Image, Document = get_image_model(), get_document_model()
    found = {}
    for key, prefix in (("a", "Alpha"), ("b", "Bravo")):
        collection = services.ensure_editor_group(world[key]).collection
        found[f"{key}_image"] = Image.objects.create(
            title=f"{prefix}-IMAGE" + ("-secret" if key == "b" else ""), file=get_test_image_file(), collection=collection
        )
        found[f"{key}_document"] = Document.objects.create(
            title=f"{prefix}-DOCUMENT" + ("-secret" if key == "b" else ""),
            file=ContentFile(b"text", name=f"{prefix.lower()}.txt"),
            collection=collection,
        )
    found["b_image"].tags.add("bravo-tag-secret")
    found["b_document"].tags.add("bravo-tag-secret")
    found["a_image"].tags.add("alpha-tag")
    found["a_document"].tags.add("alpha-tag")
    found["b_draft"] = make_initiative(title="Bravo-DRAFT-secret", slug="bravo-draft", parent=world["b"], publish=False)
    return found


def leaks(response):
    """The secrets of B in a response's body or in the messages it queued for the next page."""
    body = response.content.decode(errors="replace")
    storage = getattr(response.wsgi_request, "_messages", None)
    body += " ".join(str(message) for message in getattr(storage, "_queued_messages", []))
    return [secret for secret in B_SECRETS if secret in body]


def api_ids(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return {item["id"] for item in response.json()["items"]}


def test_admin_api_lists_only_the_editors_own_files(client, world, files):
    client.force_login(world["editor"])
    assert api_ids(client, "/admin/api/main/images/") == {files["a_image"].pk}
    assert api_ids(client, "/admin/api/main/documents/") == {files["a_document"].pk}
    assert api_ids(client, "/admin/api/main/images/?search=Bravo") == set()
    assert client.get(f"/admin/api/main/images/{files['a_image'].pk}/").json()["title"] == "Alpha-IMAGE"
    for kind in ("images", "documents"):
        target = files[f"b_{kind[:-1]}"].pk
        assert client.get(f"/admin/api/main/{kind}/{target}/").status_code == 404
        assert client.get(f"/admin/api/main/{kind}/find/?id={target}").status_code == 404


def test_superusers_still_see_every_file_in_the_admin_api(client, world, files, make_resident, with_totp):
    admin = make_resident(is_superuser=True, is_staff=True)
    with_totp(admin)
    client.force_login(admin)
    assert api_ids(client, "/admin/api/main/images/") == {files["a_image"].pk, files["b_image"].pk}
    assert api_ids(client, "/admin/api/main/documents/") == {files["a_document"].pk, files["b_document"].pk}


def test_page_chooser_chosen_step_names_only_pages_in_scope(client, world, files):
    client.force_login(world["editor"])
    ids = [files["b_draft"].pk, world["b"].pk, world["a_child"].pk]
    response = client.get("/admin/choose-page/chosen-multiple/?" + "&".join(f"id={pk}" for pk in ids))
    assert response.status_code == 200 and not leaks(response)
    assert [page["id"] for page in response.json()["result"]] == [world["a_child"].pk]
    # The tree's root and ids that are no numbers are left out, not a server error.
    response = client.get(f"/admin/choose-page/chosen-multiple/?id={Page.get_first_root_node().pk}&id=abc&id=%C2%B2")
    assert response.status_code == 200 and response.json()["result"] == []


# Every admin endpoint that answers with JSON (the admin API, the choosers' steps, tag
# suggestions, editing sessions), asked for B's objects by the editor of A.
JSON_ENDPOINTS = [
    "/admin/api/main/pages/?child_of={b}",
    "/admin/api/main/pages/?search=Bravo",
    "/admin/api/main/pages/{b_draft}/",
    "/admin/api/main/pages/find/?id={b_draft}",
    "/admin/api/main/pages/{b_draft}/action/publish/",
    "/admin/api/main/pages/{b_draft}/action/copy/",
    "/admin/api/main/images/",
    "/admin/api/main/images/?search=Bravo",
    "/admin/api/main/images/{b_image}/",
    "/admin/api/main/images/find/?id={b_image}",
    "/admin/api/main/documents/",
    "/admin/api/main/documents/?search=Bravo",
    "/admin/api/main/documents/{b_document}/",
    "/admin/api/main/documents/find/?id={b_document}",
    "/admin/choose-page/",
    "/admin/choose-page/{b}/",
    "/admin/choose-page/search/?q=Bravo",
    "/admin/choose-page/chosen-multiple/?id={b_draft}&id={b}",
    "/admin/images/chooser/",
    "/admin/images/chooser/results/?q=Bravo",
    "/admin/images/chooser/?collection_id={b_collection}",
    "/admin/images/chooser/chosen/{b_image}/",
    "/admin/images/chooser/chosen-multiple/?id={b_image}",
    "/admin/images/chooser/{b_image}/select_format/",
    "/admin/documents/chooser/",
    "/admin/documents/chooser/results/?q=Bravo",
    "/admin/documents/chooser/?collection_id={b_collection}",
    "/admin/documents/chooser/chosen/{b_document}/",
    "/admin/documents/chooser/chosen-multiple/?id={b_document}",
    "/admin/tag-autocomplete/?term=bravo",
    "/admin/tag-autocomplete/taggit/tag/?term=bravo",
    "/admin/editing-sessions/ping/wagtailcore/page/{b_draft}/0/",
]


def fill_ids(template, world, files):
    return template.format(
        b=world["b"].pk, b_draft=files["b_draft"].pk, b_image=files["b_image"].pk,
        b_document=files["b_document"].pk, b_collection=files["b_image"].collection_id,
    )


@pytest.mark.parametrize("template", JSON_ENDPOINTS)
def test_no_admin_json_endpoint_answers_with_b(client, world, files, template):
    client.force_login(world["editor"])
    url = fill_ids(template, world, files)
    before = snapshot(files["b_draft"]), Page.objects.count()
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code < 500, (method, url, response.status_code)
        assert not leaks(response), (method, url, response.status_code, leaks(response))
    assert (snapshot(files["b_draft"]), Page.objects.count()) == before


def test_tag_suggestions_and_filters_come_from_the_editors_own_files(client, world, files):
    client.force_login(world["editor"])
    assert client.get("/admin/tag-autocomplete/?term=alpha").json() == ["alpha-tag"]
    assert client.get("/admin/tag-autocomplete/?term=bravo").json() == []
    for url in ("/admin/images/", "/admin/documents/", "/admin/images/results/", "/admin/documents/results/"):
        response = client.get(url)
        assert response.status_code == 200 and not leaks(response), url
        assert "results" in url or 'value="alpha-tag"' in response.text, url
    chooser = client.get("/admin/images/chooser/").json()["html"]
    assert "alpha-tag" in chooser and "bravo-tag-secret" not in chooser


def file_patterns(module, namespace):
    return [(namespace, p) for p in module.urlpatterns if isinstance(p, URLPattern) and p.name]


def _file_patterns():
    from wagtail.documents import admin_urls as document_urls
    from wagtail.images import admin_urls as image_urls

    return file_patterns(image_urls, "wagtailimages") + file_patterns(document_urls, "wagtaildocs")


FILE_PATTERNS = _file_patterns()


def test_every_file_admin_url_is_covered():
    names = {f"{namespace}:{p.name}" for namespace, p in FILE_PATTERNS}
    assert {"wagtailimages:edit", "wagtailimages:delete", "wagtailimages:url_generator", "wagtailimages:image_usage",
            "wagtaildocs:edit", "wagtaildocs:delete", "wagtaildocs:document_usage"} <= names


@pytest.mark.parametrize("namespace,pattern", FILE_PATTERNS, ids=[f"{n}:{p.name}" for n, p in FILE_PATTERNS])
def test_editor_of_a_cannot_reach_bs_files(client, world, files, namespace, pattern):
    """Every admin URL of images and documents, for B's file: no title, no change."""
    image, document = files["b_image"], files["b_document"]
    kwargs = {"image_id": image.pk, "document_id": document.pk, "doc_id": document.pk, "filter_spec": "original",
              "uploaded_file_id": 999999, "pk": image.pk if namespace == "wagtailimages" else document.pk}
    names = re.findall(r"<(?:\w+:)?(\w+)>", str(pattern.pattern))
    url = reverse(f"{namespace}:{pattern.name}", kwargs={name: kwargs[name] for name in names})
    client.force_login(world["editor"])
    state = lambda: (  # noqa: E731
        [(i.title, i.collection_id, i.file.name) for i in type(image).objects.order_by("pk")],
        [(d.title, d.collection_id, d.file.name) for d in type(document).objects.order_by("pk")],
    )
    before = state()
    post = {"title": "Hijacked", "collection": files["a_image"].collection_id, "tags": "hijacked"}
    for method in ("get", "post"):
        response = getattr(client, method)(url, post if method == "post" else None)
        assert response.status_code < 500, (method, url)
        assert not leaks(response), (method, url, response.status_code, leaks(response))
    assert state() == before


@pytest.mark.parametrize(
    "model,action",
    [("wagtailimages/image", "delete"), ("wagtailimages/image", "add_to_collection"), ("wagtailimages/image", "add_tags"),
     ("wagtaildocs/document", "delete"), ("wagtaildocs/document", "add_to_collection"), ("wagtaildocs/document", "add_tags"),
     ("wagtailcore/page", "publish")],
)
def test_bulk_actions_on_bs_files_show_and_change_nothing(client, world, files, model, action):
    target = {"wagtailimages/image": files["b_image"], "wagtaildocs/document": files["b_document"]}.get(model, files["b_draft"])
    client.force_login(world["editor"])
    for query in (f"id={target.pk}", "id=all", f"id=all&childOf={world['b'].pk}"):
        url = f"/admin/bulk/{model}/{action}/?{query}"
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"collection": files["a_image"].collection_id, "tags": "x"} if method == "post" else None)
            assert response.status_code < 500, (method, url)
            assert not leaks(response), (method, url, leaks(response))
    target.refresh_from_db()
    assert type(target).objects.filter(pk=target.pk).exists()
    if hasattr(target, "collection_id"):
        assert target.collection_id == files[f"b_{model.split('/')[1]}"].collection_id
        assert list(target.tags.names()) in ([], ["bravo-tag-secret"])
    else:
        assert not Page.objects.get(pk=target.pk).live


def test_bulk_actions_on_the_editors_own_files_still_work(client, world, files):
    client.force_login(world["editor"])
    url = f"/admin/bulk/wagtailimages/image/add_tags/?id={files['a_image'].pk}"
    assert "Alpha-IMAGE" in client.get(url).text
    client.post(url, {"tags": "sunny"})
    assert "sunny" in files["a_image"].tags.names()


def test_workflow_preview_of_b_names_nothing(client, world, files):
    """Wagtail's workflow preview told any admin user "The page '<title>' is not currently
    awaiting moderation" for any page id."""
    client.force_login(world["editor"])
    response = client.get(reverse("wagtailadmin_pages:workflow_preview", args=[files["b_draft"].pk, 1]))
    assert response.status_code == 404 and not leaks(response)
    assert not leaks(client.get("/admin/"))


def news_with_image(image, body=""):
    from wagtail.test.utils.form_data import rich_text

    item = {"headline": "Solar day", "date": "2026-05-01", "body": rich_text(body), "image": image.pk if image else "",
            "link": ""}
    return ("news", {"title": "", "items": {"count": 1, "0": {"value": item, "deleted": "", "order": "0", "id": ""}}})


def edit_a(client, world, cards):
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    return client.post(reverse("wagtailadmin_pages:edit", args=[world["a"].pk]), nested_form_data({
        "title": "Alpha initiative", "slug": "alpha", "summary": "x", "content_language": "nl", "municipality": "Utrecht",
        "latitude": "", "longitude": "", "ambitions": "", "card_order": "manual", "cards": streamfield(cards),
    }))


def test_a_card_cannot_newly_use_bs_files_or_draft_pages(client, world, files):
    """The choosers offer only the editor's own files; a hand-made id of B's file or B's
    unpublished page (as a rich-text link) is refused, and nothing is stored."""
    client.force_login(world["editor"])
    revisions = Page.objects.get(pk=world["a"].pk).revisions.count()
    refused = "An image, document or page chosen here is not available to you."
    response = edit_a(client, world, [news_with_image(files["b_image"])])
    assert response.status_code == 200 and refused in response.text and not leaks(response)
    link = f'<p><a id="{files["b_draft"].pk}" linktype="page">draft</a></p>'
    response = edit_a(client, world, [news_with_image(None, link)])
    assert response.status_code == 200 and refused in response.text and not leaks(response)
    assert Page.objects.get(pk=world["a"].pk).revisions.count() == revisions
    # Their own image, and a link to B's live page, are fine.
    link = f'<p><a id="{world["b"].pk}" linktype="page">B</a></p>'
    response = edit_a(client, world, [news_with_image(files["a_image"], link)])
    assert response.status_code == 302, response.text[-3000:]
    draft = Page.objects.get(pk=world["a"].pk).get_latest_revision_as_object()
    assert draft.cards[0].value["items"][0]["image"].pk == files["a_image"].pk


# --- a refused form shows nothing of B (issue 15, kind 2, found by the adversarial tester) ------


def edit_a_with(client, world, cards=(), **fields):
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    data = {
        "title": "Alpha initiative", "slug": "alpha", "summary": "x", "content_language": "nl", "municipality": "Utrecht",
        "latitude": "", "longitude": "", "ambitions": "", "card_order": "manual", "hero_image": "",
        "cards": streamfield(list(cards)),
    }
    data.update(fields)
    return client.post(reverse("wagtailadmin_pages:edit", args=[world["a"].pk]), nested_form_data(data))


def traces_of_b(response, files):
    """B's titles, and the addresses that would name B's file or draft (edit links, slugs)."""
    found = leaks(response)
    text = response.content.decode(errors="replace")
    for trace in (f"/admin/images/{files['b_image'].pk}/", "bravo-draft", f'"id": {files["b_image"].pk}, "edit_url"'):
        if trace in text:
            found.append(trace)
    return found


REFUSED = "An image, document or page chosen here is not available to you."


@pytest.mark.parametrize(
    "how",
    ["card image", "hero image", "rich-text link to a draft", "card image and good text"],
)
def test_a_refused_form_shows_nothing_of_b(client, world, files, how):
    client.force_login(world["editor"])
    revisions = Page.objects.get(pk=world["a"].pk).revisions.count()
    draft_link = f'<p><a id="{files["b_draft"].pk}" linktype="page">see the draft</a></p>'
    if how == "card image":
        response = edit_a_with(client, world, [news_with_image(files["b_image"])])
    elif how == "hero image":
        response = edit_a_with(client, world, hero_image=files["b_image"].pk)
    elif how == "rich-text link to a draft":
        response = edit_a_with(client, world, [news_with_image(None, draft_link)])
    else:
        response = edit_a_with(client, world, [news_with_image(files["b_image"], "<p>Our own words</p>")])
    assert response.status_code == 200
    assert REFUSED in response.text
    assert not traces_of_b(response, files), traces_of_b(response, files)
    assert Page.objects.get(pk=world["a"].pk).revisions.count() == revisions
    if how == "rich-text link to a draft":
        assert "see the draft" in response.text  # the editor's words stay; only the link goes
    if how == "card image and good text":
        assert "Our own words" in response.text


def test_the_editors_own_choices_are_shown_again_beside_a_refused_one(client, world, files):
    client.force_login(world["editor"])
    response = edit_a_with(
        client, world, [news_with_image(files["a_image"])], hero_image=files["b_image"].pk
    )
    assert response.status_code == 200 and REFUSED in response.text
    assert "Alpha-IMAGE" in response.text and not traces_of_b(response, files)


def test_the_hero_image_is_checked_and_a_stored_reference_stays(client, world, files, make_resident, with_totp):
    """A reference a site admin stored is kept through the editor's edits (never lost, and
    shown, since it is on A's page); the editor cannot newly choose B's image."""
    client.force_login(world["editor"])
    response = edit_a_with(client, world, hero_image=files["a_image"].pk, **{"action-publish": "action-publish"})
    assert response.status_code == 302
    assert InitiativePage.objects.get(pk=world["a"].pk).hero_image_id == files["a_image"].pk
    page = InitiativePage.objects.get(pk=world["a"].pk)
    page.hero_image = files["b_image"]
    page.save_revision().publish()
    response = edit_a_with(client, world, hero_image=files["b_image"].pk, summary="edited", **{"action-publish": "action-publish"})
    assert response.status_code == 302
    page = InitiativePage.objects.get(pk=world["a"].pk)
    assert page.hero_image_id == files["b_image"].pk and page.summary == "edited"


def chooser_forms():
    """Every admin form class of the project: page types, viewsets and modeladmin."""
    from wagtail.admin.viewsets import viewsets
    from wagtail.admin.viewsets.model import ModelViewSet
    from wagtail.models import get_page_models
    from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup

    forms = {model.__name__: model.get_edit_handler().get_form_class() for model in get_page_models() if model is not Page}
    for viewset in viewsets.viewsets:
        if isinstance(viewset, ModelViewSet):
            forms[f"viewset {viewset.name}"] = viewset.get_form_class()
    from catalogue import wagtail_hooks as catalogue_hooks

    for value in vars(catalogue_hooks).values():
        if isinstance(value, type) and issubclass(value, ModelAdmin) and value not in (ModelAdmin, ModelAdminGroup):
            admin = value()
            handler = admin.get_edit_handler()
            forms[f"modeladmin {admin.model.__name__}"] = handler.bind_to_model(admin.model).get_form_class()
    return forms


def may_hold_references(form_class):
    """Whether a form has a chooser, a rich-text editor, or a stream with either inside."""
    from wagtail import blocks as wagtail_blocks
    from wagtail.admin.rich_text import DraftailRichTextArea
    from wagtail.admin.widgets.chooser import BaseChooser
    from wagtail.blocks.base import BlockWidget

    def block_holds(block, seen=()):
        if isinstance(block, (wagtail_blocks.ChooserBlock, wagtail_blocks.RichTextBlock)):
            return True
        children = getattr(block, "child_blocks", None) or {}
        child = getattr(block, "child_block", None)
        inner = [*children.values(), *([child] if child is not None else [])]
        return any(block_holds(b) for b in inner)

    for field in form_class.base_fields.values():
        widget = field.widget
        if isinstance(widget, (BaseChooser, DraftailRichTextArea)):
            return True
        if isinstance(widget, BlockWidget) and block_holds(widget.block_def):
            return True
    return False


def test_every_admin_form_with_a_chooser_checks_and_hides_what_is_out_of_scope():
    from accounts.references import ReferencesInScopeMixin

    forms = chooser_forms()
    assert {"InitiativePage", "HomePage", "viewset initiative_domains", "viewset sensor_devices",
            "modeladmin CardPreset"} <= set(forms)
    holding = {name for name, form in forms.items() if may_hold_references(form)}
    assert {"InitiativePage", "HomePage"} <= holding
    unchecked = sorted(name for name in holding if not issubclass(forms[name], ReferencesInScopeMixin))
    assert not unchecked


@pytest.mark.parametrize(
    "path,field",
    [
        ("/admin/pages/{a_child}/move/", "new_parent_page"),
        ("/admin/pages/create/initiatives/initiativepage/", "parent_page"),
        ("/admin/pages/{a_child}/copy/", "new_parent_page"),
        ("/admin/bulk/wagtailcore/page/move/?id={a_child}", "chooser"),
    ],
)
def test_page_choosers_of_wagtails_own_forms_do_not_name_b(client, world, files, path, field):
    """Every other admin form with a page chooser, posted with B's page: refused, B not named."""
    client.force_login(world["editor"])
    url = path.format(a_child=world["a_child"].pk)
    before = snapshot(world["a_child"]), snapshot(world["b"])
    for target in (world["b"].pk, files["b_draft"].pk):
        response = client.post(url, {field: target, "new_title": "x", "new_slug": "x"})
        assert response.status_code < 500 and not leaks(response), (url, response.status_code, leaks(response))
    assert (snapshot(world["a_child"]), snapshot(world["b"])) == before
