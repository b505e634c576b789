"""Editors' texts carry the language they are written in, so a screen reader reading the
site in English pronounces a Dutch initiative in Dutch (WCAG 2.2, 3.1.2 Language of Parts)."""

from bs4 import BeautifulSoup

from tests.conftest import card


def language_of(node):
    """The language a browser gives the text of ``node``: the nearest lang attribute."""
    if node is not None and not hasattr(node, "has_attr"):  # a piece of text
        node = node.parent
    while node is not None and not node.has_attr("lang"):
        node = node.parent
    return node["lang"] if node is not None else None


def cards():
    return [
        card("news", {"title": "Nieuws van het dak", "items": [{"headline": "Panelen liggen er",
              "date": "2026-05-02", "body": "<p>Alle 120 panelen.</p>", "image": None, "link": ""}]}),
        card("map", {"title": "", "places": [{"label": "Dak van de school", "description": "Zuidkant",
              "latitude": 52.09, "longitude": 5.12}], "geojson": ""}),
    ]


def test_dutch_texts_on_an_english_page_are_marked_dutch(client, make_initiative):
    make_initiative(slug="zonnedak", title="Zonnedak De Kroon", content_language="nl", cards=cards())
    page = BeautifulSoup(client.get("/zonnedak/").text, "html.parser")
    assert page.html["lang"] == "en"
    for text in ("Zonnedak De Kroon", "Samen zonnepanelen leggen.", "Nieuws van het dak",
                 "Panelen liggen er", "Alle 120 panelen.", "Dak van de school", "Zuidkant"):
        assert language_of(page.find(string=lambda s, text=text: s and s.strip() == text)) == "nl", text
    # The site's own words stay in the visitor's language.
    for text in ("Last activity", "Map"):
        assert language_of(page.find(string=lambda s, text=text: s and s.strip().startswith(text))) == "en", text


def test_an_untitled_card_heading_is_the_sites_own_word(client, make_initiative):
    make_initiative(slug="zonnedak", content_language="nl", cards=cards())
    page = BeautifulSoup(client.get("/zonnedak/").text, "html.parser")
    map_heading = page.select_one('[data-card-type="map"] h2')
    assert map_heading.get_text(strip=True) == "Map" and language_of(map_heading) == "en"


def test_english_texts_for_a_dutch_visitor_are_marked_english(client, make_initiative):
    make_initiative(slug="solar", title="Solar roof", summary="Panels together.", content_language="en")
    page = BeautifulSoup(client.get("/solar/", HTTP_ACCEPT_LANGUAGE="nl").text, "html.parser")
    assert page.html["lang"] == "nl"
    assert language_of(page.find("h1")) == "en"


def test_the_platform_list_marks_each_initiatives_language(client, make_initiative):
    make_initiative(slug="zonnedak", title="Zonnedak", content_language="nl")
    make_initiative(slug="solar", title="Solar roof", content_language="en")
    page = BeautifulSoup(client.get("/").text, "html.parser")
    titles = {node.get_text(strip=True): language_of(node) for node in page.select(".initiative-summary h3")}
    assert titles == {"Zonnedak": "nl", "Solar roof": "en"}
