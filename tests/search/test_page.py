"""The public search page: scope, facets, filters, highlights, pages, accessible markup, and
hostile input (none of which may cost a 500 or much time)."""

import re
import time

import pytest
from bs4 import BeautifulSoup

from initiatives.models import InitiativeDomain
from search.backends.base import SearchUnavailable

from .conftest import news, news_item, tender


@pytest.fixture
def eleven(make_initiative):
    """One initiative with ten cards: eleven documents, published once (cheap to set up)."""
    return make_initiative(
        title="Bomenbuurt",
        summary="Bewoners van de whole street planten bomen.",
        cards=[news(f"Nieuws {n}", news_item(f"Bericht {n}", "<p>Over de bomen.</p>")) for n in range(10)],
    )


def get(client, host="testserver", **params):
    return client.get("/search/", params, HTTP_HOST=host)


def soup_of(response):
    return BeautifulSoup(response.text, "html.parser")


def hit_titles(response):
    return [node.get_text(" ", strip=True) for node in soup_of(response).select(".search-hit__title")]


def result_count(response):
    return soup_of(response).select_one("#search-result-count").get_text(" ", strip=True)


def test_platform_wide_search(client, platform):
    response = get(client, q="ontmoeting")
    assert response.status_code == 200
    assert sorted(hit_titles(response)) == ["Jeu-de-boules in de Bloemstraat", "Parkherinrichting Oost"]
    assert result_count(response) == "2 results, 1 to 2 shown"


def test_scoped_to_the_initiative_on_its_domain(client, platform):
    InitiativeDomain.objects.create(hostname="parkoost.nl", initiative=platform["park"])
    response = get(client, host="parkoost.nl", q="ontmoeting")
    assert hit_titles(response) == ["Parkherinrichting Oost"]
    assert soup_of(response).h1.get_text() == "Search Parkherinrichting Oost"
    # Links stay on the initiative's own domain.
    links = [a["href"] for a in soup_of(get(client, host="parkoost.nl")).select(".search-hit__title a")]
    assert "/" in links and "/geveltuinen/" in links


def test_platform_links_to_custom_domains_in_full(client, platform):
    InitiativeDomain.objects.create(hostname="parkoost.nl", initiative=platform["park"])
    links = [a["href"] for a in soup_of(get(client, q="parkherinrichting")).select(".search-hit__title a")]
    assert links == ["https://parkoost.nl/"]


def test_facets_are_fieldsets_of_labelled_checkboxes(client, platform):
    page = soup_of(get(client, q="", type="tender"))
    legends = [node.get_text(strip=True) for node in page.select(".search-filters fieldset legend")]
    assert legends == ["Type", "Ambition", "Place", "Open now", "Near a place"]
    for box in page.select(".search-filters input"):
        assert page.select_one(f'label[for="{box["id"]}"]'), box
    tender_box = page.select_one('input[name="type"][value="tender"]')
    assert tender_box.has_attr("checked")
    assert page.select_one(f'label[for="{tender_box["id"]}"]').get_text(" ", strip=True) == "Tender (2 results)"


def test_result_count_is_announced(client, platform):
    count = soup_of(get(client, q="bomen")).select_one("#search-result-count")
    assert count["role"] == "status" and count["aria-live"] == "polite"


def test_highlights_and_hit_details(client, platform):
    page = soup_of(get(client, q="gravel"))
    (hit,) = page.select(".search-hit")
    assert hit.select_one(".search-hit__snippet mark").get_text() == "gravel"
    assert "In Jeu-de-boules in de Bloemstraat" in hit.get_text(" ", strip=True)
    assert "Open now" in hit.select_one(".search-hit__kind").get_text()


def test_filters_from_the_query_string(client, platform):
    response = get(client, ambition="ontmoeting", place="Amersfoort", type="tender")
    assert hit_titles(response) == ["Paving for a jeu-de-boules court"]
    response = get(client, lat="52.0907", lon="5.1214", km="5", q="bomen")
    assert "km away" in soup_of(response).select_one(".search-hit").get_text()
    response = get(client, open="1")
    assert sorted(hit_titles(response)) == [
        "Installer for zonnepanelen", "Paving for a jeu-de-boules court", "Stemming"
    ]


def test_pagination_links_keep_the_query(client, platform, settings):
    settings.CTYLAB_SEARCH_PAGE_SIZE = 4
    page = soup_of(get(client, q="", type=["news", "initiative", "tender"]))
    assert page.select_one(".pagination [aria-current]").get_text() == "Page 1 of 2"
    href = page.select_one('.pagination a[rel="next"]')["href"]
    assert "page=2" in href and href.count("type=") == 3


def test_header_search_form_on_every_page(client, platform):
    page = soup_of(client.get("/zonnedak/"))
    form = page.select_one("header form[role=search]")
    assert form["action"] == "/search/" and form.select_one('label[for="site-search-q"]')


HOSTILE_QUERIES = [
    "x" * 10_000,
    "zon " * 3_000,
    '"unbalanced quote',
    'a"b"c"d"',
    '"""',
    "*:* OR 1=1; DROP TABLE ctylab_search_searchdocument; --",
    'title:zon AND body:(NEAR "a b")',
    "{title body}: zon",
    "^zon~2 +bomen -park",
    "\\",
    "'\"`%_",
    "<script>alert(1)</script>",
    "\x00\x01\x1b[31m",
    "\ue000marker\ue001",
    "ℌ𝔢𝔩𝔩𝔬 🌳🌳 مرحبا 你好",
    "NEAR(zon bomen, 2)",
    "zon*",
]


@pytest.mark.parametrize("text", HOSTILE_QUERIES)
def test_hostile_queries_answer_promptly(client, eleven, text):
    started = time.monotonic()
    response = get(client, q=text)
    assert response.status_code == 200
    assert time.monotonic() - started < 2.0
    assert "<script>alert(1)</script>" not in response.text


def test_very_long_query_is_shortened_and_said(client, eleven):
    response = get(client, q="bomen " + "x" * 5_000)
    assert "only its first 200 characters were used" in response.text
    assert hit_titles(response)  # "bomen" still searched


def test_query_without_words_says_so(client, eleven):
    response = get(client, q='"*&^%$#')
    assert "Your search has no words we can look for" in response.text
    assert not hit_titles(response)


def test_too_many_words_are_cut_and_said(client, eleven):
    response = get(client, q=" ".join(f"woord{n}" for n in range(30)))
    assert "Only the first 8 words were searched for." in response.text


def test_unbalanced_quote_searches_the_words(client, eleven):
    assert hit_titles(get(client, q='"whole street')) == ["Bomenbuurt"]


@pytest.mark.parametrize(
    ("page", "shown", "notice"),
    [
        ("99999999999999999999999999", "Page 1 of 3", "That page number does not exist"),
        ("1000000", "Page 3 of 3", "Only the first 500 pages"),
        ("400", "Page 3 of 3", ""),
        ("-3", "Page 1 of 3", "That page number does not exist"),
        ("2.5", "Page 1 of 3", "That page number does not exist"),
        ("abc", "Page 1 of 3", "That page number does not exist"),
        ("²", "Page 1 of 3", "That page number does not exist"),  # a digit to isdigit(), not to int()
        ("①", "Page 1 of 3", "That page number does not exist"),
        ("٣", "Page 1 of 3", "That page number does not exist"),  # Arabic-Indic three
        ("", "Page 1 of 3", ""),
    ],
)
def test_enormous_and_odd_page_numbers(client, eleven, settings, page, shown, notice):
    settings.CTYLAB_SEARCH_PAGE_SIZE = 4
    started = time.monotonic()
    response = get(client, page=page)
    assert response.status_code == 200 and time.monotonic() - started < 2.0
    assert soup_of(response).select_one(".pagination [aria-current]").get_text() == shown
    assert notice in response.text


@pytest.mark.parametrize(
    "params",
    [
        {"lat": "abc", "lon": "5"},
        {"lat": "91", "lon": "5"},
        {"lat": "nan", "lon": "inf"},
        {"lat": "52.1"},
        {"lat": "52.1", "lon": "5.1", "km": "100000"},
        {"sort": "random()"},
        {"type": ["unknown", "initiative; DROP"]},
        {"place": ["x" * 1000] * 50},
        {"ambition": "\x00"},
        {"open": "maybe"},
    ],
)
def test_odd_filters_are_ignored_or_explained(client, eleven, params):
    response = get(client, **params)
    assert response.status_code == 200


def test_bad_coordinates_are_explained_next_to_the_field(client, eleven):
    page = soup_of(get(client, lat="91", lon="5"))
    lat = page.select_one("#search-lat")
    assert lat["aria-invalid"] == "true" and "search-lat-error" in lat["aria-describedby"]
    assert page.select_one("#search-lat-error").get_text()


def test_a_missing_longitude_is_explained_at_its_field(client, eleven):
    page = soup_of(get(client, lat="52.1"))
    lon = page.select_one("#search-lon")
    assert lon["aria-invalid"] == "true" and "search-lon-error" in lon["aria-describedby"]
    assert page.select_one("#search-lon-error").get_text() == "Give both a latitude and a longitude, or neither."


def test_a_distance_not_offered_is_said(client, eleven):
    response = get(client, lat="52.1", lon="5.1", km="7")
    assert "That distance is not offered; searching within 10 km." in response.text
    assert soup_of(response).select_one("#search-km option[selected]")["value"] == "10"


def test_the_search_landmark_holds_the_search_box_only(client, eleven):
    page = soup_of(get(client, q="bomen"))
    landmarks = page.select('[role="search"]')
    assert [node["aria-label"] for node in landmarks] == ["Site search", "Search"]
    assert landmarks[1].select_one("#search-q")
    assert not any(node.select_one(".search-hits, .search-filters") for node in landmarks)
    # The box takes what is searched for, and no more.
    assert page.select_one("#search-q")["maxlength"] == "200"


def test_search_failure_is_a_plain_message_not_a_500(client, eleven, monkeypatch):
    def broken(query):
        raise SearchUnavailable("database away")

    monkeypatch.setattr("search.services.get_backend", lambda: type("B", (), {"search": staticmethod(broken)})())
    response = get(client, q="bomen")
    assert response.status_code == 503
    assert "Search is not available right now" in response.text


def test_post_is_refused(client, home):
    assert client.post("/search/", {"q": "x"}).status_code == 405


def test_unknown_host_still_refused(client, home):
    assert get(client, host="evil.example", q="x").status_code == 400


def test_the_page_has_no_duplicate_ids(client, eleven):
    html = get(client, q="bomen", lat="52.09", lon="5.12").text
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_tender_deadline_hostile_content_escaped(client, make_initiative):
    make_initiative(cards=[tender(request='<img src=x onerror=alert(1)> paving', description="")])
    response = get(client, q="paving")
    assert "<img src=x" not in response.text and "&lt;img src=x" in response.text


def test_dutch_visitor_gets_the_search_page_in_dutch(client, platform):
    response = client.get("/search/", {"q": "ontmoeting", "type": "tender"}, HTTP_ACCEPT_LANGUAGE="nl")
    page = soup_of(response)
    assert page.html["lang"] == "nl"
    legends = [node.get_text(strip=True) for node in page.select(".search-filters fieldset legend")]
    assert legends == ["Soort", "Ambitie", "Plaats", "Nu open", "In de buurt van een plek"]
    assert result_count(response) == "Geen resultaten. Probeer andere woorden of minder filters."
    assert result_count(client.get("/search/", {"q": "ontmoeting"}, HTTP_ACCEPT_LANGUAGE="nl")) == (
        "2 resultaten, 1 tot en met 2 getoond"
    )


def test_hits_carry_the_language_of_their_texts(client, make_initiative):
    make_initiative(title="Moestuin aan de gracht", summary="Samen tuinieren.", content_language="nl")
    make_initiative(title="Moestuin garden club", summary="Gardening together.", content_language="en")
    page = soup_of(get(client, q="moestuin"))
    titles = {node.get_text(" ", strip=True): node["lang"] for node in page.select(".search-hit__title")}
    assert titles == {"Moestuin aan de gracht": "nl", "Moestuin garden club": "en"}
    # The site's own words around them stay in the visitor's language.
    assert not page.select_one(".search-hit__kind").has_attr("lang")
