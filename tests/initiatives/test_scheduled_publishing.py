"""Expiry and go-live times set in the page editor take effect on the clock (issue 15, kind 8)."""

from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from initiatives.models import InitiativeDomain, InitiativePage
from initiatives.tasks import publish_scheduled
from tests.catalogue.conftest import page_form_data

pytestmark = pytest.mark.django_db


def found(client, words):
    """Titles of the hits of the platform's search page."""
    response = client.get(reverse("ctylab_search:search"), {"q": words})
    soup = BeautifulSoup(response.content, "html.parser")
    return [node.get_text(" ", strip=True) for node in soup.select(".search-hit__title")]


def typed(moment):
    """A time as the editor's date-time field sends it (local time, minutes)."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def edit(client, page, **fields):
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        page_form_data(page, [], action="action-publish", **fields),
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def run_the_clock():
    # The clock enqueues every app's periodic tasks; the test settings run them at once.
    call_command("run_schedule", "--once")


@pytest.fixture
def zonnedak(make_initiative):
    page = make_initiative(title="Zonnedak Oost", slug="zonnedak-oost")
    InitiativeDomain.objects.create(hostname="zonnedak.localhost", initiative=page)
    return page


def test_an_expired_initiative_goes_offline_on_the_clock(admin_client, client, zonnedak):
    expiry = timezone.now() + timedelta(hours=1)
    edit(admin_client, zonnedak, expire_at=typed(expiry))
    assert client.get("/", HTTP_HOST="zonnedak.localhost").status_code == 200
    assert found(client, "zonnedak") == ["Zonnedak Oost"]

    with time_machine.travel(expiry + timedelta(seconds=30), tick=False):
        run_the_clock()

    page = InitiativePage.objects.get(pk=zonnedak.pk)
    assert not page.live and page.expired
    assert client.get("/", HTTP_HOST="zonnedak.localhost").status_code == 404
    assert client.get("/zonnedak-oost/").status_code == 404
    assert found(client, "zonnedak") == []


def test_nothing_expires_before_its_time(admin_client, client, zonnedak):
    expiry = timezone.now() + timedelta(hours=1)
    edit(admin_client, zonnedak, expire_at=typed(expiry))
    with time_machine.travel(expiry - timedelta(minutes=2), tick=False):
        publish_scheduled.enqueue()
    assert InitiativePage.objects.get(pk=zonnedak.pk).live
    assert client.get("/", HTTP_HOST="zonnedak.localhost").status_code == 200


def test_a_page_goes_live_at_its_go_live_time(admin_client, client, make_initiative):
    page = make_initiative(title="Jeu de boules", slug="jeu-de-boules", publish=False)
    InitiativeDomain.objects.create(hostname="boules.localhost", initiative=page)
    go_live = timezone.now() + timedelta(hours=2)
    edit(admin_client, page, go_live_at=typed(go_live))
    # Scheduled, not live yet.
    assert not InitiativePage.objects.get(pk=page.pk).live
    assert client.get("/", HTTP_HOST="boules.localhost").status_code == 404
    assert found(client, "boules") == []

    with time_machine.travel(go_live + timedelta(seconds=30), tick=False):
        run_the_clock()

    assert InitiativePage.objects.get(pk=page.pk).live
    response = client.get("/", HTTP_HOST="boules.localhost")
    assert response.status_code == 200 and "Jeu de boules" in response.text
    assert found(client, "boules") == ["Jeu de boules"]


# --- an expired initiative's whole subtree (issue 15, kind 8, found by the adversarial tester) ---


def api_ids(client, host="testserver"):
    response = client.get("/api/v2/initiatives/", HTTP_HOST=host)
    assert response.status_code == 200
    body = response.json()
    return {item["id"] for item in body.get("items", body.get("results", body if isinstance(body, list) else []))}


def test_an_expired_initiatives_sub_pages_go_with_it_and_come_back_with_it(
    admin_client, client, zonnedak, make_initiative
):
    child = make_initiative(title="Zonnedak Kinderboerderij", slug="kinderboerderij", parent=zonnedak)
    grandchild = make_initiative(title="Zonnedak Moestuin", slug="moestuin", parent=child)
    # Wherever a visitor meets the sub-pages: served on the domain and on the platform,
    # searched, in the open-data API, through the cards' endpoints that take a page id.
    urls = [("/kinderboerderij/", "zonnedak.localhost"), ("/kinderboerderij/moestuin/", "zonnedak.localhost"),
            ("/zonnedak-oost/kinderboerderij/", "testserver"), ("/zonnedak-oost/kinderboerderij/moestuin/", "testserver"),
            (f"/api/v2/initiatives/{child.pk}/", "testserver"), (f"/api/v2/initiatives/{grandchild.pk}/", "testserver"),
            (f"/governance/initiative/{child.pk}/decisions/", "testserver")]

    def available():
        return {url: client.get(url, HTTP_HOST=host).status_code for url, host in urls}

    assert set(available().values()) == {200}
    assert sorted(found(client, "zonnedak")) == ["Zonnedak Kinderboerderij", "Zonnedak Moestuin", "Zonnedak Oost"]
    assert {child.pk, grandchild.pk} <= api_ids(client)

    expiry = timezone.now() + timedelta(hours=1)
    edit(admin_client, zonnedak, expire_at=typed(expiry))
    with time_machine.travel(expiry + timedelta(seconds=30), tick=False):
        run_the_clock()

    assert not InitiativePage.objects.get(pk=zonnedak.pk).live
    assert set(available().values()) == {404}, available()
    assert found(client, "zonnedak") == []
    assert not {zonnedak.pk, child.pk, grandchild.pk} & api_ids(client)
    # The sub-pages keep their own state: nothing of theirs was unpublished.
    assert InitiativePage.objects.get(pk=child.pk).live and InitiativePage.objects.get(pk=grandchild.pk).live

    # Published again, the initiative brings its subtree back as it was.
    edit(admin_client, InitiativePage.objects.get(pk=zonnedak.pk), expire_at="")
    assert set(available().values()) == {200}, available()
    assert sorted(found(client, "zonnedak")) == ["Zonnedak Kinderboerderij", "Zonnedak Moestuin", "Zonnedak Oost"]
    assert {zonnedak.pk, child.pk, grandchild.pk} <= api_ids(client)


def test_a_sub_page_unpublished_on_its_own_stays_unpublished_when_its_initiative_returns(
    admin_client, client, zonnedak, make_initiative
):
    child = make_initiative(title="Zonnedak Kinderboerderij", slug="kinderboerderij", parent=zonnedak)
    InitiativePage.objects.get(pk=child.pk).unpublish()
    InitiativePage.objects.get(pk=zonnedak.pk).unpublish()
    InitiativePage.objects.get(pk=zonnedak.pk).save_revision().publish()
    assert client.get("/", HTTP_HOST="zonnedak.localhost").status_code == 200
    assert client.get("/kinderboerderij/", HTTP_HOST="zonnedak.localhost").status_code == 404


def test_the_page_cache_forgets_the_sub_pages_of_an_unpublished_initiative(client, zonnedak, make_initiative, settings):
    settings.CTYLAB_PAGE_CACHE_SECONDS = 300
    child = make_initiative(title="Zonnedak Kinderboerderij", slug="kinderboerderij", parent=zonnedak)
    assert client.get("/kinderboerderij/", HTTP_HOST="zonnedak.localhost").status_code == 200
    assert client.get("/kinderboerderij/", HTTP_HOST="zonnedak.localhost").status_code == 200  # from the cache
    InitiativePage.objects.get(pk=zonnedak.pk).unpublish()
    assert client.get("/kinderboerderij/", HTTP_HOST="zonnedak.localhost").status_code == 404
    assert InitiativePage.objects.get(pk=child.pk).live
