"""Query bodies for Elasticsearch, built with ``elasticsearch.dsl`` from a ``Query``.

Terms become ``multi_match`` phrase queries (a single word is a one-word phrase) over the
folded, Dutch and English fields, all required; visitors' text is never parsed as query
syntax. Facets are disjunctive like the database's: each facet's counts apply every selection
but its own (a ``filter`` aggregation), and the selections filter the hits as a
``post_filter``.
"""

from elasticsearch.dsl import A, Q, Search

from ...query import AMBITION, FACETS, KIND, MUNICIPALITY, RELEVANCE
from ...text import MARK_END, MARK_START

TEXT_FIELDS = ["title^4", "title.nl^4", "title.en^4", "body", "body.nl", "body.en"]
FACET_FIELDS = {KIND: "kind", AMBITION: "ambitions", MUNICIPALITY: "municipality"}
# Enough buckets to cut to the shown size in Python, with the same tie order as the database.
FACET_BUCKETS = 1000
HIGHLIGHT_FIELDS = ("title", "title.nl", "title.en", "body", "body.nl", "body.en")
RETURNED_FIELDS = [
    "key",
    "kind",
    "title",
    "body",
    "url",
    "site_id",
    "initiative_title",
    "municipality",
    "ambitions",
    "activity_at",
    "openable",
    "opens_at",
    "closes_at",
    "location",
    "language",
]


def text_query(terms):
    return [
        Q("multi_match", query=term.text, type="phrase", fields=TEXT_FIELDS) for term in terms
    ]


def open_now(now):
    moment = now.isoformat()
    return Q(
        "bool",
        filter=[
            Q("term", openable=True),
            Q(
                "bool",
                should=[
                    Q("bool", must_not=[Q("exists", field="opens_at")]),
                    Q("range", opens_at={"lte": moment}),
                ],
                minimum_should_match=1,
            ),
            Q(
                "bool",
                should=[
                    Q("bool", must_not=[Q("exists", field="closes_at")]),
                    Q("range", closes_at={"gt": moment}),
                ],
                minimum_should_match=1,
            ),
        ],
    )


def selections(query):
    chosen = {}
    for facet in FACETS:
        values = query.selected(facet)
        if values:
            chosen[facet] = Q("terms", **{FACET_FIELDS[facet]: list(values)})
    return chosen


def build_search(query, index, *, page=None):
    """The ``Search`` for ``query`` against ``index``; ``page`` overrides the query's page."""
    page = page or query.page
    filters = []
    if query.scope:
        filters.append(Q("prefix", path=query.scope))
    if query.open_now:
        filters.append(open_now(query.now))
    if query.near:
        filters.append(
            Q(
                "geo_distance",
                distance=f"{query.near.km}km",
                location={"lat": query.near.latitude, "lon": query.near.longitude},
            )
        )
    search = Search(index=index).query(Q("bool", must=text_query(query.terms), filter=filters))

    chosen = selections(query)
    if chosen:
        search = search.post_filter(Q("bool", filter=list(chosen.values())))
    if query.with_facets:
        for facet in FACETS:
            others = [q for name, q in chosen.items() if name != facet]
            aggregation = A("filter", filter=Q("bool", filter=others))
            aggregation.bucket(
                "values",
                "terms",
                field=FACET_FIELDS[facet],
                size=FACET_BUCKETS,
                order=[{"_count": "desc"}, {"_key": "asc"}],
            )
            search.aggs.bucket(facet, aggregation)

    recent = [{"activity_at": {"order": "desc", "missing": "_last"}}, {"key": {"order": "asc"}}]
    if query.effective_sort == RELEVANCE:
        search = search.sort({"_score": {"order": "desc"}}, *recent)
    else:
        search = search.sort(*recent)

    if query.terms:
        search = search.highlight_options(
            pre_tags=[MARK_START], post_tags=[MARK_END], require_field_match=True
        )
        for field in HIGHLIGHT_FIELDS:
            if field.startswith("title"):
                search = search.highlight(field, number_of_fragments=0)
            else:
                search = search.highlight(field, fragment_size=160, number_of_fragments=2)

    offset = (page - 1) * query.page_size
    return (
        search.source(RETURNED_FIELDS)
        .extra(track_total_hits=True, from_=offset, size=query.page_size)
    )
