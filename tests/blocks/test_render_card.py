"""``{% render_card %}`` gives the HTML that ``{% include_block %}`` gives, card type by card type."""

import pytest
from django.template import Context, Template
from wagtail import blocks as wagtail_blocks

from blocks.templatetags.card_tags import renders_plainly
from tests.blocks.test_cards_render import election, news_item, tender
from tests.conftest import card

BOTH = (
    "{% load wagtailcore_tags card_tags %}{% for child in page.cards %}"
    "<!--include-->{% include_block child with activity=None card_id=child.id live=None content_lang='nl' %}<!--/include-->"
    "<!--card-->{% render_card child with activity=None card_id=child.id live=None content_lang='nl' %}<!--/card-->"
    "{% endfor %}"
)


def halves(html):
    included = [part.split("<!--/include-->")[0] for part in html.split("<!--include-->")[1:]]
    rendered = [part.split("<!--/card-->")[0] for part in html.split("<!--card-->")[1:]]
    return included, rendered


@pytest.mark.django_db
def test_every_card_type_renders_as_include_block_does(make_initiative):
    page = make_initiative(
        cards=[
            card("news", {"title": "News", "items": [news_item(body='<p>A <b>bold</b> "quote"</p>')]}),
            card(
                "map",
                {
                    "title": "Map",
                    "places": [{"label": "Hall", "description": "", "latitude": 52.1, "longitude": 5.1}],
                    "geojson": "",
                },
            ),
            card("iot", {"title": "Meter", "device": "roof-1", "metric": "power", "unit": "kW"}),
            card("tender", tender(title='<script>alert("x")</script>')),
            card("election", election()),
        ]
    )
    assert all(renders_plainly(child.block) for child in page.cards)  # the fast path is tested
    included, rendered = halves(Template(BOTH).render(Context({"page": page})))
    assert len(included) == 5
    assert rendered == included
    assert "<script>alert" not in "".join(rendered)


def test_a_block_with_its_own_context_keeps_include_blocks_path():
    class Shouting(wagtail_blocks.CharBlock):
        def get_context(self, value, parent_context=None):
            return {**super().get_context(value, parent_context), "value": value.upper()}

        class Meta:
            template = "blocks/card.html"

    assert not renders_plainly(Shouting())
    assert not renders_plainly(wagtail_blocks.CharBlock())  # no template: render_basic
