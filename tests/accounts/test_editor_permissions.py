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
    client.post(url, {"new_title": "Copied", "new_slug": "copied", "new_parent_page": world["b"].pk})
    assert not Page.objects.filter(slug="copied").exists()


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
