"""Searching: words, phrases, stemming, facets, filters, distance, order, pages, highlights.

Every expectation here is exact, and the suite runs on SQLite and on PostgreSQL (and the same
queries run on Elasticsearch in test_elasticsearch_cluster.py): the same query gives the same
hits and facet counts on each.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from search.documents import initiative_key
from search.highlight import marked_html
from search.query import RECENT, RELEVANCE, Near

from .conftest import election, facet, find, future, keys, news, news_item, past, tender


def initiative(page):
    return initiative_key(page.pk)


def page_keys(page):
    from search.models import SearchDocument

    return set(SearchDocument.objects.filter(page_id=page.pk).values_list("key", flat=True))


def kinds_of(page):
    from search.models import SearchDocument

    return dict(SearchDocument.objects.filter(page_id=page.pk).values_list("key", "kind"))


def card_of(page, kind):
    (key,) = [key for key, found in kinds_of(page).items() if found == kind]
    return key


class TestText:
    def test_dutch_stemming_finds_other_forms(self, platform):
        solar = platform["solar"]
        assert keys(find("zonnepaneel")) == {initiative(solar), card_of(solar, "tender")}
        assert keys(find("boom")) == keys(find("bomen")) == {
            initiative(platform["park"]), card_of(platform["park"], "news")
        }

    def test_english_stemming_finds_other_forms(self, platform):
        assert keys(find("pave")) == {card_of(platform["boules"], "tender")}
        assert keys(find("panel")) == {card_of(platform["solar"], "news")}

    def test_all_words_must_match(self, platform):
        assert keys(find("bomen park")) == {initiative(platform["park"])}
        assert find("bomen gravel").total == 0

    def test_phrases_keep_their_order(self, platform):
        boules = initiative(platform["boules"])
        assert keys(find('"whole street"')) == {boules}
        assert keys(find("street whole")) == {boules}
        assert find('"street whole"').total == 0

    def test_case_and_accents_do_not_matter(self, make_initiative):
        page = make_initiative(title="Buurtcafé", summary="Koffie in het CAFÉ op de hoek.")
        assert keys(find("cafe")) == keys(find("Café")) == {initiative(page)}

    def test_card_text_and_initiative_text_are_both_found(self, platform):
        assert keys(find("gravel")) == {card_of(platform["boules"], "tender")}
        assert keys(find("bloemstraat")) == {initiative(platform["boules"])}
        assert keys(find("speelveld")) == {card_of(platform["boules"], "map")}
        assert keys(find("roof")) == {
            card_of(platform["solar"], "news"), card_of(platform["solar"], "tender"),
            card_of(platform["solar"], "iot"),
        }

    def test_nothing_found(self, platform):
        results = find("xylofoonorkest")
        assert (results.total, results.hits, results.page) == (0, [], 1)
        assert facet(results, "kind") == {}


class TestFacets:
    def test_counts_without_filters(self, platform):
        results = find("")
        assert results.total == 11
        assert facet(results, "kind") == {
            "initiative": 4, "news": 2, "tender": 2, "iot": 1, "map": 1, "election": 1
        }
        assert facet(results, "municipality") == {"Utrecht": 8, "Amersfoort": 3}
        assert facet(results, "ambition") == {
            "ontmoeting": 6, "energie": 4, "duurzaamheid": 4, "groen": 3
        }

    def test_counts_follow_the_text(self, platform):
        results = find("roof")
        assert facet(results, "kind") == {"news": 1, "tender": 1, "iot": 1}
        assert facet(results, "municipality") == {"Utrecht": 3}

    def test_a_facet_counts_every_selection_but_its_own(self, platform):
        results = find("", kinds=("tender",))
        assert results.total == 2
        assert facet(results, "kind")["initiative"] == 4  # still offered, with its count
        assert facet(results, "municipality") == {"Utrecht": 1, "Amersfoort": 1}
        assert facet(results, "ambition") == {"energie": 1, "duurzaamheid": 1, "ontmoeting": 1}

    def test_values_of_one_facet_are_alternatives(self, platform):
        assert find("", kinds=("tender", "election")).total == 3

    def test_facets_combine(self, platform):
        results = find("", ambitions=("ontmoeting",), municipalities=("Utrecht",))
        assert keys(results) == page_keys(platform["park"])
        assert facet(results, "municipality") == {"Utrecht": 3, "Amersfoort": 3}

    def test_selected_value_without_results_is_still_listed(self, platform):
        results = find("gravel", municipalities=("Utrecht",))
        assert results.total == 0
        assert facet(results, "municipality") == {"Amersfoort": 1, "Utrecht": 0}

    def test_most_frequent_values_first(self, platform):
        values = [entry.value for entry in find("").facets["ambition"]]
        assert values == ["ontmoeting", "duurzaamheid", "energie", "groen"]


class TestOpenNow:
    def test_open_tenders_and_elections(self, platform):
        results = find("", open_now=True)
        assert keys(results) == {
            card_of(platform["solar"], "tender"), card_of(platform["boules"], "tender"),
            card_of(platform["park"], "election"),
        }
        assert all(hit.is_open() for hit in results.hits)

    @pytest.mark.parametrize(
        ("card_value", "is_open"),
        [
            (tender(deadline=future(3)), True),
            (tender(deadline=past(1)), False),
            (tender(status="closed"), False),
            (tender(status="awarded"), False),
            (election(opens_at=past(2), closes_at=future(2)), True),
            (election(opens_at=future(1), closes_at=future(3)), False),
            (election(opens_at=past(3), closes_at=past(1)), False),
        ],
    )
    def test_open_now_agrees_with_the_card(self, make_initiative, card_value, is_open):
        page = make_initiative(cards=[card_value])
        child = page.cards[0]
        card_says = (
            child.value.accepting_quotes if child.block_type == "tender" else child.value.status == "open"
        )
        assert card_says is is_open
        assert (find("", open_now=True).total == 1) is is_open

    def test_a_deadline_passing_closes_without_reindexing(self, make_initiative):
        make_initiative(cards=[tender(deadline=future(1))])
        assert find("", open_now=True).total == 1
        later = timezone.now() + timedelta(days=2)
        assert find("", open_now=True, now=later).total == 0


class TestDistance:
    SOLAR = (52.0907, 5.1214)

    def test_within_a_distance(self, platform):
        near = find("", near=Near(*self.SOLAR, 5))
        assert keys(near) == page_keys(platform["solar"]) | page_keys(platform["park"])
        wider = find("", near=Near(*self.SOLAR, 25))
        assert keys(wider) == keys(near) | page_keys(platform["boules"])

    def test_distance_is_shown(self, platform):
        results = find("parkherinrichting", near=Near(*self.SOLAR, 5))
        (hit,) = results.hits
        assert 1.0 < hit.distance_km < 2.0

    def test_pages_without_a_place_are_not_near_anything(self, platform):
        assert initiative(platform["garden"]) not in keys(find("", near=Near(*self.SOLAR, 100)))

    def test_text_and_distance(self, platform):
        assert keys(find("ontmoeting", near=Near(*self.SOLAR, 5))) == {initiative(platform["park"])}

    @pytest.mark.parametrize("point", [(89.99, 0.0), (-89.99, 179.99), (0.0, 179.999), (0.0, -179.999)])
    def test_poles_and_date_line(self, make_initiative, point):
        make_initiative(title="Edge", latitude=str(point[0]), longitude=str(point[1]))
        assert find("edge", near=Near(*point, 1)).total == 1


class TestOrderAndPages:
    def test_recent_activity_first(self, platform):
        results = find("", sort=RECENT)
        moments = [hit.activity_at for hit in results.hits]
        assert moments == sorted(moments, reverse=True)

    def test_relevance_puts_title_matches_first(self, make_initiative):
        body_only = make_initiative(title="Buurtfeest", summary="Met een moestuin erbij.")
        in_title = make_initiative(title="Moestuin aan de gracht", summary="Groente kweken.")
        ranked = [hit.key for hit in find("moestuin", sort=RELEVANCE).hits]
        assert ranked == [initiative(in_title), initiative(body_only)]

    def test_pages(self, platform):
        first = find("", page_size=4, sort=RECENT)
        assert (first.total, first.num_pages, len(first.hits)) == (11, 3, 4)
        last = find("", page_size=4, page=3, sort=RECENT)
        assert (last.page, len(last.hits), last.first_number, last.last_number) == (3, 3, 9, 11)
        every = [hit.key for page in (1, 2, 3) for hit in find("", page_size=4, page=page, sort=RECENT).hits]
        assert len(set(every)) == 11

    def test_ranking_is_among_the_most_recent_matches_when_there_are_many(self, make_initiative, settings):
        settings.CTYLAB_SEARCH_RANK_LIMIT = 2
        pages = [
            make_initiative(
                title="Moestuin" if number == 0 else f"Buurt {number}",
                summary="Een moestuin." if number else "Moestuin moestuin moestuin.",
                cards=[news("Nieuws", news_item("x", date=f"2026-0{number + 1}-01"))],
            )
            for number in range(4)
        ]
        # Most recent activity first: pages[3], pages[2]; the strongest match (pages[0]) is
        # the oldest, so it is not among the two ranked and follows by recency.
        expected = [initiative(pages[3]), initiative(pages[2]), initiative(pages[1]), initiative(pages[0])]
        one_by_one = [find("moestuin", page_size=1, page=number).hits[0].key for number in (1, 2, 3, 4)]
        assert sorted(one_by_one[:2]) == sorted(expected[:2]) and one_by_one[2:] == expected[2:]
        settings.CTYLAB_SEARCH_RANK_LIMIT = 100
        assert find("moestuin").hits[0].key == initiative(pages[0])

    def test_total_without_facets(self, platform):
        results = find("bomen", with_facets=False)
        assert (results.total, results.facets) == (2, {})

    def test_a_page_past_the_end_shows_the_last(self, platform):
        results = find("", page_size=4, page=10_000)
        assert results.page == 3 and len(results.hits) == 3


class TestHighlights:
    def test_matches_are_marked(self, platform):
        (hit,) = find("gravel").hits
        assert str(marked_html(hit.snippet_marked)) == "15 by 4 metres of <mark>gravel</mark>"
        assert str(marked_html(hit.title_marked)) == "Paving for a jeu-de-boules court"

    def test_dutch_stem_matches_are_marked(self, platform):
        results = find("zonnepaneel")
        tender_hit = next(hit for hit in results.hits if hit.kind == "tender")
        assert "<mark>zonnepanelen</mark>" in str(marked_html(tender_hit.title_marked))

    def test_markup_in_content_is_escaped(self, make_initiative):
        make_initiative(title="<b>Bold</b> plan", summary='A <script>alert("x")</script> plan')
        (hit,) = find("plan").hits
        title = str(marked_html(hit.title_marked))
        snippet = str(marked_html(hit.snippet_marked))
        assert "<b>" not in title and "&lt;b&gt;" in title and "<mark>plan</mark>" in title
        assert "<script>" not in snippet and "<mark>plan</mark>" in snippet

    def test_only_our_marks_are_markup(self):
        html = str(marked_html('<i>x</i> \ue000a & "b"\ue001 tail \ue000open'))
        assert html == '&lt;i&gt;x&lt;/i&gt; <mark>a &amp; &quot;b&quot;</mark> tail <mark>open</mark>'


class TestScope:
    def test_scope_is_one_initiative_and_its_sub_initiatives(self, platform):
        park = platform["park"]
        scoped = find("", scope=park.path)
        assert keys(scoped) == page_keys(park) | page_keys(platform["garden"])
        assert facet(scoped, "municipality") == {"Utrecht": 4}


def test_queries_per_search_do_not_grow_with_results(platform, make_initiative):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(**options):
        with CaptureQueriesContext(connection) as queries:
            find("bomen", **options)
        return len(queries)

    before = count(), count(kinds=("news",), near=Near(52.09, 5.12, 50))
    for number in range(5):
        make_initiative(title=f"Bomen {number}", latitude="52.09", longitude="5.12")
    assert (count(), count(kinds=("news",), near=Near(52.09, 5.12, 50))) == before
    # Facets (3), hits, highlights; the time limit (savepoint, set and restore on PostgreSQL).
    assert before[0] <= 9
