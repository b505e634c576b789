"""The Elasticsearch mapping and query bodies, compared as dicts (no cluster needed)."""

import datetime

from search.backends.elasticsearch.mapping import make_index, to_source
from search.backends.elasticsearch.queries import TEXT_FIELDS, build_search
from search.query import RECENT, Near, Query
from search.text import parse

NOW = datetime.datetime(2026, 5, 1, 12, 0, tzinfo=datetime.UTC)
RECENT_ORDER = [{"activity_at": {"order": "desc", "missing": "_last"}}, {"key": {"order": "asc"}}]


def text_field():
    return {
        "type": "text",
        "analyzer": "ctylab_folded",
        "fields": {
            "nl": {"type": "text", "analyzer": "ctylab_dutch"},
            "en": {"type": "text", "analyzer": "ctylab_english"},
        },
    }


def test_index_settings_and_mapping():
    assert make_index("ctylab-20260501").to_dict() == {
        "settings": {
            "number_of_shards": 1,
            "number_of_replicas": 0,
            "analysis": {
                "analyzer": {
                    "ctylab_folded": {
                        "type": "custom", "tokenizer": "standard",
                        "filter": ["lowercase", "asciifolding"],
                    },
                    "ctylab_dutch": {
                        "type": "custom", "tokenizer": "standard",
                        "filter": ["lowercase", "ctylab_dutch_stop", "ctylab_dutch_stemmer"],
                    },
                    "ctylab_english": {
                        "type": "custom", "tokenizer": "standard",
                        "filter": [
                            "ctylab_english_possessive", "lowercase", "ctylab_english_stop",
                            "ctylab_english_stemmer",
                        ],
                    },
                },
                "filter": {
                    "ctylab_dutch_stop": {"type": "stop", "stopwords": "_dutch_"},
                    "ctylab_dutch_stemmer": {"type": "stemmer", "language": "dutch"},
                    "ctylab_english_possessive": {"type": "stemmer", "language": "possessive_english"},
                    "ctylab_english_stop": {"type": "stop", "stopwords": "_english_"},
                    "ctylab_english_stemmer": {"type": "stemmer", "language": "english"},
                },
            },
        },
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "key": {"type": "keyword"},
                "kind": {"type": "keyword"},
                "page_id": {"type": "long"},
                "block_id": {"type": "keyword", "index": False},
                "path": {"type": "keyword"},
                "site_id": {"type": "long"},
                "url": {"type": "keyword", "index": False},
                "title": text_field(),
                "body": text_field(),
                "initiative_title": {"type": "keyword", "index": False},
                "municipality": {"type": "keyword"},
                "ambitions": {"type": "keyword"},
                "location": {"type": "geo_point"},
                "openable": {"type": "boolean"},
                "opens_at": {"type": "date"},
                "closes_at": {"type": "date"},
                "activity_at": {"type": "date"},
                "language": {"type": "keyword", "index": False},
            },
        },
    }


def test_shards_and_replicas_are_options():
    settings = make_index("x", shards=3, replicas=1).to_dict()["settings"]
    assert (settings["number_of_shards"], settings["number_of_replicas"]) == (3, 1)


def test_a_row_becomes_a_document():
    row = {
        "key": "card:7:abc", "kind": "tender", "page_id": 7, "block_id": "abc", "path": "000100010002",
        "site_id": 2, "url": "https://buurt.nl/#card-abc", "title": "Paving", "body": "Gravel",
        "initiative_title": "Jeu-de-boules", "municipality": "", "ambitions": ["ontmoeting"],
        "latitude": 52.1, "longitude": 5.3, "openable": True, "opens_at": None, "closes_at": NOW,
        "activity_at": NOW, "language": "nl",
    }
    assert to_source(row) == {
        "key": "card:7:abc", "kind": "tender", "page_id": 7, "block_id": "abc", "path": "000100010002",
        "site_id": 2, "url": "https://buurt.nl/#card-abc", "title": "Paving", "body": "Gravel",
        "initiative_title": "Jeu-de-boules", "ambitions": ["ontmoeting"],
        "location": {"lat": 52.1, "lon": 5.3}, "openable": True, "closes_at": NOW, "activity_at": NOW,
        "language": "nl",
    }
    without_place = to_source({**row, "latitude": None, "longitude": None, "openable": False})
    assert "location" not in without_place and without_place["openable"] is False


def test_browsing_body():
    body = build_search(Query(now=NOW, with_facets=False), "ctylab").to_dict()
    assert body == {
        "query": {"bool": {}},
        "sort": RECENT_ORDER,
        "_source": [
            "key", "kind", "title", "body", "url", "site_id", "initiative_title", "municipality",
            "ambitions", "activity_at", "openable", "opens_at", "closes_at", "location", "language",
        ],
        "track_total_hits": True,
        "from": 0,
        "size": 20,
    }


def test_words_and_phrases_are_required_phrase_matches():
    query = Query(terms=parse('zonnepanelen "hele straat"').terms, now=NOW, with_facets=False)
    body = build_search(query, "ctylab").to_dict()
    assert body["query"] == {
        "bool": {
            "must": [
                {"multi_match": {"query": "zonnepanelen", "type": "phrase", "fields": TEXT_FIELDS}},
                {"multi_match": {"query": "hele straat", "type": "phrase", "fields": TEXT_FIELDS}},
            ]
        }
    }
    assert TEXT_FIELDS == ["title^4", "title.nl^4", "title.en^4", "body", "body.nl", "body.en"]
    assert body["sort"] == [{"_score": {"order": "desc"}}, *RECENT_ORDER]
    assert body["highlight"] == {
        "pre_tags": ["\ue000"],
        "post_tags": ["\ue001"],
        "require_field_match": True,
        "fields": {
            "title": {"number_of_fragments": 0},
            "title.nl": {"number_of_fragments": 0},
            "title.en": {"number_of_fragments": 0},
            "body": {"fragment_size": 160, "number_of_fragments": 2},
            "body.nl": {"fragment_size": 160, "number_of_fragments": 2},
            "body.en": {"fragment_size": 160, "number_of_fragments": 2},
        },
    }


def test_query_syntax_is_never_passed_through():
    query = Query(terms=parse('title:zon* AND (bomen OR "park').terms, now=NOW, with_facets=False)
    musts = build_search(query, "ctylab").to_dict()["query"]["bool"]["must"]
    assert [clause["multi_match"]["query"] for clause in musts] == ["title", "zon", "bomen", "park"]


def test_recent_sort_even_with_words():
    query = Query(terms=parse("zon").terms, sort=RECENT, now=NOW, with_facets=False)
    assert build_search(query, "ctylab").to_dict()["sort"] == RECENT_ORDER


def test_filters_scope_open_now_and_distance():
    query = Query(open_now=True, near=Near(52.09, 5.12, 5.0), scope="00010001", now=NOW, with_facets=False)
    assert build_search(query, "ctylab").to_dict()["query"] == {
        "bool": {
            "filter": [
                {"prefix": {"path": "00010001"}},
                {
                    "bool": {
                        "filter": [
                            {"term": {"openable": True}},
                            {
                                "bool": {
                                    "should": [
                                        {"bool": {"must_not": [{"exists": {"field": "opens_at"}}]}},
                                        {"range": {"opens_at": {"lte": "2026-05-01T12:00:00+00:00"}}},
                                    ],
                                    "minimum_should_match": 1,
                                }
                            },
                            {
                                "bool": {
                                    "should": [
                                        {"bool": {"must_not": [{"exists": {"field": "closes_at"}}]}},
                                        {"range": {"closes_at": {"gt": "2026-05-01T12:00:00+00:00"}}},
                                    ],
                                    "minimum_should_match": 1,
                                }
                            },
                        ]
                    }
                },
                {"geo_distance": {"distance": "5.0km", "location": {"lat": 52.09, "lon": 5.12}}},
            ]
        }
    }


def facet_aggregation(field, others):
    return {
        "filter": {"bool": {"filter": others} if others else {}},
        "aggs": {
            "values": {
                "terms": {
                    "field": field,
                    "size": 1000,
                    "order": [{"_count": "desc"}, {"_key": "asc"}],
                }
            }
        },
    }


def test_facets_count_every_selection_but_their_own():
    query = Query(kinds=("tender", "election"), ambitions=("energie",), now=NOW)
    body = build_search(query, "ctylab").to_dict()
    kinds = {"terms": {"kind": ["tender", "election"]}}
    ambitions = {"terms": {"ambitions": ["energie"]}}
    assert body["post_filter"] == {"bool": {"filter": [kinds, ambitions]}}
    assert body["aggs"] == {
        "kind": facet_aggregation("kind", [ambitions]),
        "ambition": facet_aggregation("ambitions", [kinds]),
        "municipality": facet_aggregation("municipality", [kinds, ambitions]),
    }
    assert body["query"] == {"bool": {}}  # selections filter hits, not the facets' base


def test_pages():
    body = build_search(Query(page=3, page_size=20, now=NOW, with_facets=False), "ctylab").to_dict()
    assert (body["from"], body["size"]) == (40, 20)
    body = build_search(Query(page=3, now=NOW, with_facets=False), "ctylab", page=1).to_dict()
    assert body["from"] == 0
