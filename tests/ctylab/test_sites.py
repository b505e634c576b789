"""The Sites table in each process's memory (ctylab.sites): domains answer as soon as they are
attached and stop when removed, here and in the other workers, and a repeat GET reads no Site."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from ctylab import sites
from initiatives.models import InitiativeDomain

HOST = "bloemkwartier.nl"


@pytest.fixture
def initiative(make_initiative):
    parent = make_initiative(title="Bloemkwartier", slug="bloemkwartier")
    make_initiative(parent=parent, title="Geveltuinen", slug="geveltuinen")
    return parent


def site_queries(queries):
    return [query["sql"] for query in queries.captured_queries if "wagtailcore_site" in query["sql"]]


def test_a_new_domain_answers_at_once_and_a_removed_one_stops(client, initiative):
    assert client.get("/", HTTP_HOST=HOST).status_code == 400
    domain = InitiativeDomain.objects.create(hostname=HOST, initiative=initiative)
    page = client.get("/geveltuinen/", HTTP_HOST=HOST)
    assert page.status_code == 200 and "Geveltuinen</h1>" in page.text
    domain.delete()
    assert client.get("/geveltuinen/", HTTP_HOST=HOST).status_code == 400
    # The platform still serves the initiative.
    assert client.get("/bloemkwartier/geveltuinen/").status_code == 200


def test_once_committed_a_repeat_get_reads_no_site_and_routes_in_few_queries(
    client, initiative, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        InitiativeDomain.objects.create(hostname=HOST, initiative=initiative)
    assert client.get("/geveltuinen/", HTTP_HOST=HOST).status_code == 200  # loads the table
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/geveltuinen/", HTTP_HOST=HOST).status_code == 200
    assert site_queries(queries) == []
    # Routing: the domain's root page (the initiative, specific), the sub-initiative (one
    # query), the ancestors above the site's root (live flags, ctylab.reachable), the view
    # restrictions. The page: member proposals, ambitions, its own sub-initiatives.
    expected = ["initiatives_initiativepage", "initiatives_initiativepage", "wagtailcore_page",
                "wagtailcore_pageviewrestriction", "governance_memberproposal", "taggit_tag",
                "initiatives_initiativepage"]
    tables = [query["sql"].split(" FROM ")[1].split()[0].strip('"') for query in queries.captured_queries]
    assert tables == expected
    # An unknown host is refused without a query either.
    with CaptureQueriesContext(connection) as refused:
        assert client.get("/", HTTP_HOST="evil.example").status_code == 400
    assert len(refused) == 0


def test_another_workers_change_is_followed_once_it_bumps_the_generation(
    client, initiative, settings, django_capture_on_commit_callbacks
):
    settings.CTYLAB_SITES_RECHECK_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        domain = InitiativeDomain.objects.create(hostname=HOST, initiative=initiative)
    assert client.get("/", HTTP_HOST=HOST).status_code == 200

    # Another worker renames the site: this process has no signal of it, only the database
    # row and the generation token that worker's commit writes to the shared cache.
    Site.objects.filter(pk=domain.site_id).update(hostname="nieuw-bloemkwartier.nl")
    assert client.get("/", HTTP_HOST="nieuw-bloemkwartier.nl").status_code == 400  # not told yet
    cache.set(sites.GENERATION_KEY, "from-another-worker", timeout=None)
    assert client.get("/", HTTP_HOST="nieuw-bloemkwartier.nl").status_code == 200
    assert client.get("/", HTTP_HOST=HOST).status_code == 400

    # And a removal there: the site row goes, the token changes.
    Site.objects.filter(pk=domain.site_id).delete()
    cache.set(sites.GENERATION_KEY, "removed-by-another-worker", timeout=None)
    assert client.get("/", HTTP_HOST="nieuw-bloemkwartier.nl").status_code == 400


def test_the_generation_is_checked_at_most_once_per_interval(
    client, initiative, settings, django_capture_on_commit_callbacks
):
    settings.CTYLAB_SITES_RECHECK_SECONDS = 3600
    with django_capture_on_commit_callbacks(execute=True):
        domain = InitiativeDomain.objects.create(hostname=HOST, initiative=initiative)
    assert client.get("/", HTTP_HOST=HOST).status_code == 200
    Site.objects.filter(pk=domain.site_id).update(hostname="nieuw-bloemkwartier.nl")
    cache.set(sites.GENERATION_KEY, "from-another-worker", timeout=None)
    # Within the interval the process keeps answering from its table ...
    assert client.get("/", HTTP_HOST=HOST).status_code == 200
    # ... and follows the change once the interval has passed.
    settings.CTYLAB_SITES_RECHECK_SECONDS = 0
    assert client.get("/", HTTP_HOST=HOST).status_code == 400


def test_a_rolled_back_domain_is_not_kept(client, initiative):
    from django.db import transaction

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        InitiativeDomain.objects.create(hostname=HOST, initiative=initiative)
        assert client.get("/", HTTP_HOST=HOST).status_code == 200  # seen inside its transaction
        raise Undo
    assert client.get("/", HTTP_HOST=HOST).status_code == 400


@pytest.mark.parametrize(
    ("hostname", "port", "expected"),
    [
        ("bloemkwartier.nl", 443, "bloemkwartier.nl"),  # hostname and port
        ("bloemkwartier.nl", 8080, "bloemkwartier.nl"),  # the only site with this hostname
        ("anders.nl", 443, "testserver"),  # the default site for any other hostname
    ],
)
def test_the_table_matches_hosts_as_wagtail_does(initiative, rf, hostname, port, expected):
    from wagtail.models.sites import get_site_for_hostname

    InitiativeDomain.objects.create(hostname="bloemkwartier.nl", initiative=initiative)
    request = rf.get("/", HTTP_HOST=hostname, SERVER_PORT=str(port))
    ours = sites.site_for_request(request)
    assert ours.hostname == expected
    assert ours.pk == get_site_for_hostname(hostname, port).pk
    assert Site.find_for_request(request) is ours
