"""The Jinja2 card templates keep their Dutch: every text they translate is a msgid that
``makemessages`` finds in them and that the Dutch catalogue translates."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.utils.translation.template import templatize

from tests.blocks.test_cards_render import tender
from tests.conftest import card

ROOT = Path(__file__).resolve().parents[2]
JINJA_TEMPLATES = sorted(
    path for path in ROOT.glob("**/jinja2/**/*.html") if ".venv" not in path.parts and "node_modules" not in path.parts
)


def dutch_catalogue():
    """Every msgid the apps' Dutch .mo files translate (what Django merges at run time)."""
    catalogue = {}
    for app in apps.get_app_configs():
        try:
            found = gettext.translation("django", Path(app.path) / "locale", languages=["nl"])
        except FileNotFoundError:
            continue
        catalogue.update(found._catalog)
    return catalogue


def extracted_msgids(path):
    """The msgids ``makemessages`` takes from a template: it reads ``_("…")`` in Jinja2 ones."""
    python = templatize(path.read_text(), origin=str(path))
    return [ast.literal_eval(literal) for literal in re.findall(r"""_\(((?:".*?")|(?:'.*?'))\)""", python)]


def test_every_card_text_is_found_by_makemessages_and_translated():
    assert JINJA_TEMPLATES, "the card templates moved"
    catalogue = dutch_catalogue()
    untranslated = [
        (path.name, msgid)
        for path in JINJA_TEMPLATES
        for msgid in extracted_msgids(path)
        if not catalogue.get(msgid)
    ]
    assert untranslated == []


@pytest.mark.django_db
def test_a_dutch_visitor_reads_translated_texts_with_their_values(client, make_initiative):
    page = make_initiative(
        cards=[
            card("map", {"title": "", "places": [], "geojson": ""}),
            card("tender", tender(budget_min=None, budget_max="12500")),
        ]
    )
    html = client.get(page.url, HTTP_ACCEPT_LANGUAGE="nl").text
    assert "Nog geen plekken op deze kaart." in html
    assert "tot €&nbsp;12.500" in html  # the amount grouped the Dutch way, inside the Dutch text
    assert '<span class="time-left">(nog 1\xa0week' in html  # "(nog 1 week, …)": the time left, in Dutch
