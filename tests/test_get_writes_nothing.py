"""A GET never writes to the project's tables: every public page type and the admin's list views
are served with the database refusing INSERT, UPDATE and DELETE on them.

What used to write: the platform home re-sorted initiatives whose moment had passed, and the
catalogue's views created the rows of newly registered card types. Both are the clock's work
now (``initiatives.tasks.refresh_due_activity``, ``catalogue.tasks.sync_card_types``). A
signed-in admin's session is Django's and Wagtail's business (``django_session``, and the
tables of apps outside this repository), so only our own apps' tables are guarded.
"""

import re
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from catalogue.models import CardTypeEntry
from governance.models import Proposal
from initiatives.demo import load_demo_content
from initiatives.models import HomePage, InitiativeDomain, InitiativePage
from tenders.models import Tender

REPOSITORY = Path(__file__).resolve().parents[1]
WRITE = re.compile(r"^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)\"?", re.IGNORECASE)


def our_tables():
    """The tables of the apps in this repository (not Django's, Wagtail's or allauth's)."""
    return {
        model._meta.db_table
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(REPOSITORY) and ".venv" not in Path(config.path).parts
        for model in config.get_models(include_auto_created=True)
    }


@contextmanager
def no_writes_to(tables):
    writes = []

    def refuse(execute, sql, params, many, context):
        match = WRITE.match(sql)
        if match and match.group(2) in tables:
            writes.append(sql[:200])
            raise AssertionError(f"A GET wrote to {match.group(2)}: {sql[:200]}")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield writes


@pytest.fixture
def demo(db):
    load_demo_content("demo-password-not-secret")
    now = timezone.now()
    # What a GET used to repair: an initiative whose moment passed before the clock came round,
    # and a card type whose catalogue row does not exist yet.
    InitiativePage.objects.update(next_moment_at=now - timedelta(minutes=5))
    CardTypeEntry.objects.filter(name="map").delete()


def public_pages():
    home = HomePage.objects.get()
    solar = InitiativePage.objects.get(slug="zonnedak-de-kroon")
    park = InitiativePage.objects.get(slug="wilhelminapark-samen")
    proposal = Proposal.objects.filter(initiative=park).first()
    tender = Tender.objects.first()
    iot = next(child for child in solar.cards if child.block_type == "iot")
    pages = [("testserver", "/"), ("testserver", "/?page=2"), ("testserver", "/search/"),
             ("testserver", "/search/?q=zon&open=1"), ("testserver", "/api/v2/initiatives/"),
             ("testserver", f"/api/v2/initiatives/{solar.pk}/"), ("testserver", "/api/v2/decisions/"),
             ("testserver", f"/api/v2/initiatives/{park.pk}/governance-log/"),
             ("testserver", f"/api/v2/initiatives/{solar.pk}/cards/{iot.id}/readings/"),
             ("testserver", reverse("sensors:card", args=[solar.pk, iot.id])),
             ("testserver", reverse("governance:decisions", args=[park.pk])),
             ("testserver", reverse("governance:receipt", args=[proposal.uuid]))]
    if tender is not None:
        pages.append(("testserver", reverse("tenders:check", args=[tender.uuid])))
    for page in InitiativePage.objects.live():
        pages.append(("testserver", page.url_path.removeprefix(home.url_path.rstrip("/"))))
    for domain in InitiativeDomain.objects.all():
        pages += [(domain.hostname, "/"), (domain.hostname, "/search/?q=zon")]
    return pages


ADMIN_LISTS = [
    "wagtailadmin_home", "wagtailadmin_explore_root", "catalogue:browse",
    "catalogue_cardtypeentry_modeladmin_index", "catalogue_cardpreset_modeladmin_index",
    "catalogue_starter_modeladmin_index", "wagtaildocs:index",
    "wagtailimages:index", "initiative_domains:index", "sensor_devices:index",
    "governance_proposals:index", "tenders_admin:index", "wagtailusers_users:index",
    "initiative_domain_requests:list",
]


def test_public_pages_write_nothing(client, demo):
    tables = our_tables()
    assert "initiatives_initiativepage" in tables and "catalogue_cardtypeentry" in tables
    pages = public_pages()
    with no_writes_to(tables) as writes:
        for host, path in pages:
            response = client.get(path, HTTP_HOST=host)
            assert response.status_code == 200, (host, path, response.status_code)
    assert writes == []
    # Nothing was repaired behind the visitor's back: that is the clock's work.
    assert not CardTypeEntry.objects.filter(name="map").exists()
    assert InitiativePage.objects.filter(next_moment_at__lt=timezone.now()).exists()


def test_admin_lists_write_nothing_but_the_session(admin_client, demo):
    home = HomePage.objects.get()
    paths = [reverse(name) for name in ADMIN_LISTS]
    paths += [reverse("wagtailadmin_explore", args=[home.pk]), reverse("catalogue:detail", args=["news"])]
    admin_client.get(reverse("wagtailadmin_home"))  # Wagtail keeps the admin's profile row
    with no_writes_to(our_tables()) as writes:
        for path in paths:
            response = admin_client.get(path)
            assert response.status_code == 200, (path, response.status_code)
    assert writes == []
    assert not CardTypeEntry.objects.filter(name="map").exists()


def test_the_clock_does_what_gets_no_longer_do(demo):
    from catalogue.tasks import sync_card_types
    from initiatives.tasks import refresh_due_activity

    assert "map" in sync_card_types.enqueue().return_value
    refreshed = refresh_due_activity.enqueue().return_value
    assert set(refreshed) == set(InitiativePage.objects.values_list("pk", flat=True))
    assert not InitiativePage.objects.filter(next_moment_at__lte=timezone.now()).exists()
