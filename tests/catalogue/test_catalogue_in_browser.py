"""In headless Chromium: a site admin switches the tender card off, and an editor then cannot
add one — neither in the page editor nor from the catalogue.

The Django site runs in pytest-django's live server on 127.0.0.1; the node script
switch_off_tender.mjs drives /usr/bin/chromium through playwright-core with the two users'
session cookies and prints what it saw as JSON; this test checks that and the database.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, GroupPagePermission, Locale, Page, Site

from catalogue.models import CardTypeEntry
from catalogue.services import sync_card_types
from initiatives.models import HomePage, InitiativePage
from tests.browser import run_script, skip_without_browser
from tests.signed_in import session_cookie

SCRIPT = Path(__file__).with_name("switch_off_tender.mjs")
REFUSED = "New “Tender” cards cannot be added: this card type is switched off."

# transaction=True: the live server's thread must see what the test writes. Such a test ends
# by flushing the database, so it builds the tree root Wagtail's migrations normally create.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
skip_without_browser()



def platform(port):
    language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    Locale.objects.get_or_create(language_code=language)
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    root = Page.objects.filter(depth=1).first() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=HomePage(title="Ctylab", slug="ctylab-home"))
    Site.objects.update_or_create(
        hostname="127.0.0.1", port=port, defaults={"root_page": home, "is_default_site": True}
    )
    page = home.add_child(instance=InitiativePage(
        title="Jeu de boules", slug="jeu-de-boules", summary="A court for the street.", municipality="Eindhoven",
        cards=[{"type": "map", "value": {"title": "Where", "places": [], "geojson": ""}, "id": "map-1"}],
    ))
    page.save_revision().publish()
    return home, page



def users(home, django_user_model):
    admin = django_user_model.objects.create_superuser("siteadmin", "admin@example.org", "pw")
    editors = Group.objects.create(name="Initiative editors")
    editors.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=editors, page=home, permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        )
    editor = django_user_model.objects.create_user("editor", "editor@example.org", "pw")
    editor.groups.add(editors)
    return admin, editor


def test_site_admin_switches_off_tender_and_editor_cannot_add_one(live_server, django_user_model, tmp_path, settings):
    # Two-factor set-up (accounts app) is tested on its own; here both users are signed in.
    settings.ACCOUNTS_REQUIRE_TWO_FACTOR_FOR_ADMIN = False

    sync_card_types()
    home, page = platform(live_server.thread.port)
    admin, editor = users(home, django_user_model)
    tender = CardTypeEntry.objects.get(name="tender")
    config = {
        "base": live_server.url,
        "adminSession": session_cookie(admin),
        "editorSession": session_cookie(editor),
        "cardTypeEditPath": reverse("catalogue_cardtypeentry_modeladmin_edit", args=[tender.pk]),
        "cardTypeIndexPath": reverse("catalogue_cardtypeentry_modeladmin_index"),
        "pageEditPath": reverse("wagtailadmin_pages:edit", args=[page.pk]),
        "catalogueTenderPath": reverse("catalogue:detail", args=["tender"]),
        "screenshots": str(tmp_path),
    }
    report = run_script(SCRIPT, config, tmp_path)
    assert "error" not in report, report["error"]

    # The admin's switch reached the database, and the list says so.
    assert report["steps"][0]["enabledBefore"] is True
    assert "Switched off" in report["adminListRow"], report["adminListRow"]
    tender.refresh_from_db()
    assert not tender.enabled

    # The editor's new tender was refused with a message naming the type; nothing was stored.
    assert REFUSED in report["editorPageText"], report["editorPageText"][:2000]
    page.refresh_from_db()
    assert [child.block_type for child in page.get_latest_revision_as_object().cards] == ["map"]
    assert page.revisions.count() == 1

    # The catalogue tells the editor too, and offers no way to add one.
    assert "Tender cards are switched off: no new ones can be added." in report["catalogueText"]
    assert report["catalogueAddButtons"] == 0
    assert not report["consoleErrors"], report["consoleErrors"]
