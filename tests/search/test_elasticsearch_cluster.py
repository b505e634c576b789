"""Against a real Elasticsearch 8 cluster (only when ELASTICSEARCH_URL is set): the mapping is
accepted, and every query gives the same hits and facet counts as the database backend."""

import os
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from search import services
from search.backends import get_backend
from search.backends.database import DatabaseBackend
from search.backends.elasticsearch.mapping import make_index
from search.query import RECENT, Near, Query
from search.text import parse

from .conftest import facet, keys

pytestmark = pytest.mark.skipif(
    not os.environ.get("ELASTICSEARCH_URL"),
    reason="no Elasticsearch cluster: set ELASTICSEARCH_URL (e.g. http://localhost:9200) to run",
)

SOLAR = (52.0907, 5.1214)
PARITY_QUERIES = [
    {},
    {"text": "zonnepaneel"},
    {"text": "boom"},
    {"text": "bomen park"},
    {"text": '"whole street"'},
    {"text": '"street whole"'},
    {"text": "pave"},
    {"text": "panel"},
    {"text": "roof"},
    {"text": "ontmoeting"},
    {"text": "xylofoonorkest"},
    {"kinds": ("tender",)},
    {"kinds": ("tender", "election")},
    {"ambitions": ("ontmoeting",), "municipalities": ("Utrecht",)},
    {"text": "gravel", "municipalities": ("Utrecht",)},
    {"open_now": True},
    {"near": Near(*SOLAR, 5)},
    {"near": Near(*SOLAR, 25)},
    {"text": "ontmoeting", "near": Near(*SOLAR, 5)},
    {"open_now": True, "near": Near(*SOLAR, 25), "kinds": ("tender",)},
]


@pytest.fixture
def cluster(settings):
    settings.CTYLAB_SEARCH = {
        "BACKEND": "search.backends.elasticsearch.ElasticsearchBackend",
        "OPTIONS": {
            "URL": os.environ["ELASTICSEARCH_URL"],
            "INDEX": f"ctylab-test-{uuid.uuid4().hex[:8]}",
            "TIMEOUT": 10,
            "REFRESH": True,
        },
    }
    backend = get_backend()
    yield backend
    backend.drop()


def query(text="", **options):
    return Query(terms=parse(text).terms, page_size=100, **options)


def test_the_cluster_accepts_the_mapping(cluster, platform):
    services.rebuild()
    mapping = cluster.client.indices.get_mapping(index=cluster.alias)
    (index_mapping,) = mapping.body.values()
    expected = make_index("x").to_dict()["mappings"]
    assert index_mapping["mappings"]["properties"].keys() == expected["properties"].keys()
    assert index_mapping["mappings"]["dynamic"] == "strict"


@pytest.mark.parametrize("options", PARITY_QUERIES, ids=lambda options: repr(options))
def test_same_hits_and_facets_as_the_database(cluster, platform, options):
    services.rebuild()
    options = dict(options)
    asked = query(options.pop("text", ""), **options)
    from_cluster = cluster.search(asked)
    from_database = DatabaseBackend().search(asked)
    assert not from_cluster.degraded and from_cluster.backend == "elasticsearch"
    assert keys(from_cluster) == keys(from_database)
    assert from_cluster.total == from_database.total
    for name in ("kind", "ambition", "municipality"):
        assert facet(from_cluster, name) == facet(from_database, name), name


def test_recent_order_is_the_same(cluster, platform):
    services.rebuild()
    asked = query(sort=RECENT)
    assert [hit.key for hit in cluster.search(asked).hits] == [
        hit.key for hit in DatabaseBackend().search(asked).hits
    ]


def test_changes_reach_the_cluster(cluster, platform):
    services.rebuild()
    park = platform["park"]
    park.unpublish()
    cluster.apply_pending()
    assert keys(cluster.search(query("parkherinrichting"))) == set()
    park.save_revision().publish()
    restriction = PageViewRestriction.objects.create(
        page=platform["boules"], restriction_type=PageViewRestriction.LOGIN
    )
    cluster.apply_pending()
    assert cluster.search(query("parkherinrichting")).total == 1
    assert cluster.search(query("bloemstraat")).total == 0
    restriction.delete()
    cluster.apply_pending()
    assert cluster.search(query("bloemstraat")).total == 1


def test_highlights_from_the_cluster(cluster, platform):
    services.rebuild()
    (hit,) = cluster.search(query("gravel")).hits
    assert "\ue000gravel\ue001" in hit.snippet_marked


def test_open_now_moves_with_the_clock(cluster, platform):
    services.rebuild()
    later = timezone.now() + timedelta(days=30)
    assert cluster.search(query(open_now=True, now=later)).total == 0


def test_pages_past_the_end(cluster, platform):
    services.rebuild()
    results = cluster.search(Query(page=10_000, page_size=4))
    assert results.page == 3 and len(results.hits) == 3
