"""The Elasticsearch index: analysers, the document mapping and how rows become documents.

Text fields are indexed three ways: folded (lower case, accents removed, no stemming) and,
as sub-fields, with a Dutch (Snowball, Dutch stop words) and an English (Porter, English
stop words) analyser. A term matches when any of the three does — the same rule as the
database backend's Dutch-or-English ``tsvector``. Facets are ``keyword`` fields; the place
is a ``geo_point``.
"""

from elasticsearch.dsl import (
    Boolean,
    Date,
    Document,
    GeoPoint,
    Index,
    Keyword,
    Long,
    MetaField,
    Text,
    analyzer,
    token_filter,
)

from ..database import DOCUMENT_FIELDS

folded = analyzer("ctylab_folded", tokenizer="standard", filter=["lowercase", "asciifolding"])
dutch = analyzer(
    "ctylab_dutch",
    tokenizer="standard",
    filter=[
        "lowercase",
        token_filter("ctylab_dutch_stop", "stop", stopwords="_dutch_"),
        token_filter("ctylab_dutch_stemmer", "stemmer", language="dutch"),
    ],
)
english = analyzer(
    "ctylab_english",
    tokenizer="standard",
    filter=[
        token_filter("ctylab_english_possessive", "stemmer", language="possessive_english"),
        "lowercase",
        token_filter("ctylab_english_stop", "stop", stopwords="_english_"),
        token_filter("ctylab_english_stemmer", "stemmer", language="english"),
    ],
)


def text_field():
    return Text(analyzer=folded, fields={"nl": Text(analyzer=dutch), "en": Text(analyzer=english)})


class IndexedDocument(Document):
    """One ``SearchDocument`` row in Elasticsearch; the document id is its key."""

    key = Keyword()
    kind = Keyword()
    page_id = Long()
    block_id = Keyword(index=False)
    path = Keyword()
    site_id = Long()
    url = Keyword(index=False)
    title = text_field()
    body = text_field()
    initiative_title = Keyword(index=False)
    municipality = Keyword()
    ambitions = Keyword(multi=True)
    location = GeoPoint()
    openable = Boolean()
    opens_at = Date()
    closes_at = Date()
    activity_at = Date()
    language = Keyword(index=False)

    class Meta:
        dynamic = MetaField("strict")


# A SearchDocument row as the cluster gets it: every column the database backend writes,
# but when to refresh it (the database's own business).
SOURCE_FIELDS = ["key", *(name for name in DOCUMENT_FIELDS if name != "refresh_at")]


def make_index(name, *, shards=1, replicas=0):
    """The index definition (settings, analysers, mapping) under a concrete name.

    One shard by default: facet counts and scores are then exact, as in the database.
    """
    index = Index(name)
    index.settings(number_of_shards=shards, number_of_replicas=replicas)
    index.document(IndexedDocument)
    return index


def to_source(row):
    """A ``SearchDocument`` row (a dict of SOURCE_FIELDS) as an Elasticsearch document."""
    latitude, longitude = row.get("latitude"), row.get("longitude")
    document = IndexedDocument(
        key=row["key"],
        kind=row["kind"],
        page_id=row["page_id"],
        block_id=row["block_id"] or None,
        path=row["path"],
        site_id=row["site_id"],
        url=row["url"],
        title=row["title"],
        body=row["body"],
        initiative_title=row["initiative_title"],
        municipality=row["municipality"] or None,
        ambitions=list(row["ambitions"] or []),
        location=(
            {"lat": latitude, "lon": longitude}
            if latitude is not None and longitude is not None
            else None
        ),
        openable=row["openable"],
        opens_at=row["opens_at"],
        closes_at=row["closes_at"],
        activity_at=row["activity_at"],
        language=row.get("language") or None,
    )
    return document.to_dict(skip_empty=True)
