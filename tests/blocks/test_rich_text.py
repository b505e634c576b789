"""Hostile or malformed rich text is cleaned when stored, whichever way it arrives; never a crash."""

import pytest
from django.core.exceptions import ValidationError

from blocks.cards.richtext import NEWS_FEATURES, clean_rich_text
from blocks.registry import registry
from initiatives.models import InitiativePage
from tests.blocks.test_cards_render import news_item, render
from tests.conftest import card


def stored_bodies(page):
    page = InitiativePage.objects.get(pk=page.pk)
    return [item["value"]["body"] for item in page.cards.raw_data[0]["value"]["items"]]


def test_unbalanced_script_in_a_news_body_is_cleaned_when_published(client, make_initiative):
    """The example of issue 15, kind 6: stored through ``save_revision().publish()``."""
    page = make_initiative(cards=[card("news", {"title": "News", "items": [news_item(body="<p>old</p>")]})])
    page.cards = [card("news", {"title": "News", "items": [
        news_item(headline="Hostile", body="<scr<script>ipt>alert(1)</script>"),
    ]})]
    page.save_revision().publish()
    [body] = stored_bodies(page)
    assert "<script" not in body
    assert "alert(1)" in body  # the visible text stays, as text
    html = render(client, page)
    assert "<script>alert(1)" not in html
    assert "Hostile" in html


@pytest.mark.parametrize(
    ("source", "expected_text"),
    [
        ("<scr<script>ipt>alert(1)</script>", "ipt&gt;alert(1)</p>"),
        ("<p>a</b></p>", ">a</p>"),
        ("<b>bold", "<b>bold</b>"),
        ("<i><b>x</i></b>", "<b><i>x</i></b>"),
        ("<li>outside a list</li>", "<p>outside a list</p>"),
        ("<b><p>paragraph in bold</p></b>", "<p>paragraph in bold</p>"),
        ("<p>x<script>alert(1)</script></p>", ">x</p>"),
        ('<p onclick="alert(1)"><a href="javascript:alert(1)">link</a></p>', "><a>link</a></p>"),
        ("<p>" + "<b>" * 5000 + "deep", "<p>deep</p>"),
        ("<ul><li>" * 3000 + "deep list", "<p>deep list</p>"),
    ],
)
def test_malformed_rich_text_is_cleaned_not_crashed(source, expected_text):
    cleaned = clean_rich_text(source, NEWS_FEATURES)
    assert expected_text in cleaned
    assert "<script" not in cleaned
    assert "javascript:" not in cleaned
    assert "onclick" not in cleaned


def test_allowed_markup_and_page_links_survive(make_initiative):
    target = make_initiative(title="Target")
    source = f'<p><b>b</b> <i>i</i> <a linktype="page" id="{target.pk}">page</a> <a href="https://example.org/">web</a></p><ul><li>one</li></ul>'
    cleaned = clean_rich_text(source, NEWS_FEATURES)
    assert f'<a linktype="page" id="{target.pk}">page</a>' in cleaned
    assert '<a href="https://example.org/">web</a>' in cleaned
    assert "<b>b</b>" in cleaned and "<i>i</i>" in cleaned and "<li" in cleaned


def test_too_deep_rich_text_is_refused_by_validation():
    block = registry.get("news").block
    raw = {"title": "", "items": [news_item(body="<b>" * 101 + "deep")]}
    with pytest.raises(ValidationError) as caught:
        block.clean(block.to_python(raw))
    item_errors = caught.value.block_errors["items"].block_errors[0].block_errors
    assert item_errors["body"].messages == ["This text is nested more than 100 levels deep."]


def test_home_page_introduction_is_cleaned_when_saved(home):
    home.intro = '<p>Welkom<scr<script>ipt>alert(1)</script></p><p onclick="x()">hoi</p>'
    home.save_revision().publish()
    home.refresh_from_db()
    assert "<script" not in home.intro
    assert "onclick" not in home.intro
    assert "Welkom" in home.intro and "hoi" in home.intro
    revision_intro = home.latest_revision.content["intro"]
    assert "<script" not in revision_intro
