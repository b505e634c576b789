"""Elasticsearch away: changes are queued in the database and none is lost; searches are
answered from the database and say so; nothing fails with a 500."""

import io
import socket

import pytest
from django.core.management import CommandError, call_command

from search.backends import get_backend
from search.backends.base import BackendUnavailable
from search.models import PendingUpdate, SearchDocument
from search.tasks import apply_pending_updates

from .conftest import find, news, news_item, tender
from .recording_cluster import RecordingCluster


def closed_port_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"  # nothing listens there once the socket is closed


def use_elasticsearch(settings, url):
    settings.CTYLAB_SEARCH = {
        "BACKEND": "search.backends.elasticsearch.ElasticsearchBackend",
        "OPTIONS": {"URL": url, "INDEX": "ctylab-test", "TIMEOUT": 1},
    }


@pytest.fixture
def cluster_away(settings):
    use_elasticsearch(settings, closed_port_url())


def pending_pages():
    return set(PendingUpdate.objects.filter(applied_at__isnull=True).values_list("page_id", flat=True))


def test_changes_are_queued_while_the_cluster_is_away(cluster_away, make_initiative):
    page = make_initiative(title="Fietsenstalling", cards=[tender()])
    assert SearchDocument.objects.filter(page_id=page.pk).count() == 2  # the database has it
    assert pending_pages() == {page.pk}
    assert apply_pending_updates.call() == 0
    row = PendingUpdate.objects.get()
    assert row.applied_at is None and row.attempts == 1 and row.last_error
    with pytest.raises(BackendUnavailable):
        get_backend().apply_pending()
    assert PendingUpdate.objects.get().attempts == 2


def test_unchanged_republish_queues_nothing(cluster_away, make_initiative):
    # (Without cards, publishing is the initiative's latest activity, which is a change.)
    page = make_initiative(title="Fietsenstalling", cards=[news("Nieuws", news_item("Open"))])
    PendingUpdate.objects.all().delete()
    page.save_revision().publish()
    assert pending_pages() == set()


def test_search_answers_from_the_database_and_says_so(cluster_away, make_initiative, client):
    make_initiative(title="Fietsenstalling")
    results = find("fietsenstalling")
    assert results.degraded and results.backend == "database" and results.total == 1
    response = client.get("/search/", {"q": "fietsenstalling"})
    assert response.status_code == 200
    assert "Search is running in a reduced mode" in response.text
    assert "Fietsenstalling" in response.text


def test_after_a_failure_the_cluster_is_left_alone_for_a_while(cluster_away, make_initiative, monkeypatch):
    make_initiative(title="Fietsenstalling")
    backend = get_backend()
    assert find("fietsenstalling").degraded
    tried = []
    monkeypatch.setattr(backend, "_search", lambda query: tried.append(query))
    assert find("fietsenstalling").degraded and tried == []


def test_none_lost_when_the_cluster_returns(settings, make_initiative):
    use_elasticsearch(settings, closed_port_url())
    kept = make_initiative(title="Blijft", cards=[tender(request="Bestrating")])
    gone = make_initiative(title="Verdwijnt", cards=[news("Nieuws", news_item("Weg"))])
    hidden = make_initiative(title="Teruggetrokken")
    hidden.unpublish()
    gone_id = gone.pk
    gone.delete()
    assert pending_pages() == {kept.pk, gone_id, hidden.pk}

    with RecordingCluster() as cluster:
        use_elasticsearch(settings, cluster.url)
        assert get_backend().apply_pending() == PendingUpdate.objects.count()
    assert pending_pages() == set()
    sent = dict(cluster.bulk_documents())
    assert set(sent) == set(SearchDocument.objects.values_list("key", flat=True))
    assert sent[f"initiative:{kept.pk}"]["title"] == "Blijft"
    (deletion,) = cluster.deletions()
    assert deletion["query"]["bool"]["filter"] == [
        {"terms": {"page_id": sorted([kept.pk, gone_id, hidden.pk])}}
    ]
    assert set(deletion["query"]["bool"]["must_not"][0]["terms"]["key"]) == set(sent)


def test_rebuild_with_the_cluster_away_rebuilds_the_database_and_queues(cluster_away, make_initiative):
    page = make_initiative(title="Fietsenstalling")
    SearchDocument.objects.all().delete()
    PendingUpdate.objects.all().delete()
    with pytest.raises(CommandError, match="changes are queued"):
        call_command("rebuild_search_index", stdout=io.StringIO())
    assert SearchDocument.objects.filter(page_id=page.pk).exists()
    assert pending_pages() == {page.pk}


def test_rebuild_fills_a_new_index_and_swaps_the_alias(settings, make_initiative):
    page = make_initiative(title="Fietsenstalling", cards=[tender()])
    with RecordingCluster() as cluster:
        use_elasticsearch(settings, cluster.url)
        out = io.StringIO()
        call_command("rebuild_search_index", stdout=out)
    created = [
        path for method, path, raw in cluster.requests
        if method == "PUT" and path.count("/") == 1 and not path.startswith("/_")
    ]
    assert len(created) == 1 and created[0].startswith("/ctylab-test-")
    swaps = [raw for method, path, raw in cluster.requests if path == "/_aliases"]
    assert len(swaps) == 1 and created[0][1:] in swaps[0]
    assert {key for key, source in cluster.bulk_documents()} == set(
        SearchDocument.objects.filter(page_id=page.pk).values_list("key", flat=True)
    )
    assert "elasticsearch backend" in out.getvalue()


def test_apply_command_reports(cluster_away, make_initiative):
    make_initiative(title="Fietsenstalling")
    with pytest.raises(CommandError, match="1 updates stay queued"):
        call_command("apply_search_updates", stdout=io.StringIO())


def test_admin_search_mismatch_is_a_check_warning(settings):
    from search.checks import check_search_settings

    use_elasticsearch(settings, "http://127.0.0.1:9200")
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
    assert [message.id for message in check_search_settings()] == ["ctylab_search.W001"]
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": "wagtail.search.backends.elasticsearch8", "URLS": ["http://127.0.0.1:9200"]}
    }
    assert check_search_settings() == []


def canned_response(total=2):
    buckets = lambda *pairs: {  # noqa: E731
        "doc_count": total,
        "values": {
            "doc_count_error_upper_bound": 0,
            "sum_other_doc_count": 0,
            "buckets": [{"key": key, "doc_count": count} for key, count in pairs],
        },
    }
    return {
        "took": 2,
        "timed_out": False,
        "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
        "hits": {
            "total": {"value": total, "relation": "eq"},
            "max_score": None,
            "hits": [
                {
                    "_index": "ctylab-test-1",
                    "_id": "card:7:abc",
                    "_score": 2.5,
                    "_source": {
                        "key": "card:7:abc", "kind": "tender", "title": "Installer for zonnepanelen",
                        "body": "Roof of the school", "url": "https://zon.nl/#card-abc", "site_id": 3,
                        "initiative_title": "Zonnedak", "municipality": "Utrecht",
                        "ambitions": ["energie"], "activity_at": "2026-05-02T10:00:00+02:00",
                        "openable": True, "closes_at": "2099-01-01T00:00:00+00:00",
                        "location": {"lat": 52.0907, "lon": 5.1214},
                    },
                    "highlight": {"title.nl": ["Installer for \ue000zonnepanelen\ue001"]},
                    "sort": [2.5, 1777708800000, "card:7:abc"],
                },
                {
                    "_index": "ctylab-test-1",
                    "_id": "initiative:7",
                    "_score": 1.0,
                    "_source": {
                        "key": "initiative:7", "kind": "initiative", "title": "Zonnedak",
                        "body": "Samen zonnepanelen leggen", "url": "https://zon.nl/", "site_id": 3,
                        "initiative_title": "Zonnedak", "ambitions": [], "openable": False,
                    },
                    "highlight": {"body.nl": ["Samen \ue000zonnepanelen\ue001 leggen"]},
                    "sort": [1.0, None, "initiative:7"],
                },
            ],
        },
        "aggregations": {
            "kind": buckets(("initiative", 1), ("tender", 1)),
            "ambition": buckets(("energie", 2)),
            "municipality": buckets(("Utrecht", 1)),
        },
    }


def test_cluster_answers_are_read_into_results(settings):
    from search.query import Near, Query
    from search.text import parse

    with RecordingCluster(search_response=canned_response()) as cluster:
        use_elasticsearch(settings, cluster.url)
        results = get_backend().search(
            Query(terms=parse("zonnepaneel").terms, near=Near(52.0907, 5.1214, 5), page=9)
        )
    assert not results.degraded and results.backend == "elasticsearch"
    assert (results.total, results.page) == (2, 1)
    # Page 9 of 2 hits: asked once as asked, then for the last page.
    assert [body["from"] for body in cluster.searches()] == [160, 0]
    tender_hit, initiative_hit = results.hits
    assert tender_hit.title_marked == "Installer for \ue000zonnepanelen\ue001"
    assert tender_hit.activity_at.isoformat() == "2026-05-02T10:00:00+02:00"
    assert tender_hit.is_open() and tender_hit.distance_km == 0.0
    assert initiative_hit.snippet_marked == "Samen \ue000zonnepanelen\ue001 leggen"
    assert initiative_hit.municipality == "" and initiative_hit.distance_km is None
    assert {facet: {entry.value: entry.count for entry in counts} for facet, counts in results.facets.items()} == {
        "kind": {"initiative": 1, "tender": 1},
        "ambition": {"energie": 2},
        "municipality": {"Utrecht": 1},
    }


@pytest.mark.parametrize(("status", "left_alone"), [(400, False), (404, False), (429, True), (503, True)])
def test_only_a_struggling_cluster_is_left_alone(settings, make_initiative, status, left_alone):
    from search.query import Query

    make_initiative(title="Fietsenstalling")
    error = {"error": {"type": "search_phase_execution_exception", "reason": "x"}, "status": status}
    with RecordingCluster(search_response=error, search_status=status) as cluster:
        use_elasticsearch(settings, cluster.url)
        backend = get_backend()
        first = backend.search(Query())
        second = backend.search(Query())
    # Every visitor still gets an answer, from the database.
    assert first.degraded and second.degraded and first.total == 1
    # A refused search (4xx) does not keep the next one from asking the cluster.
    assert len(cluster.searches()) == (1 if left_alone else 2)
