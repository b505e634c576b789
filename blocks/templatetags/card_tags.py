"""Date formatting and the language of editors' texts, for cards.

A page of 200 cards shows about a thousand dates; Django's ``|date`` filter re-resolves the
lazily translated month names and walks its general formatter for each. These filters give
the same output for the two formats cards use, at a fraction of the cost, which keeps a
large page inside its render budget (bench/render.py).
"""

from datetime import date, datetime
from functools import lru_cache

from django import template
from django.template import loader
from django.template.backends.django import Template as DjangoTemplate
from django.template.base import token_kwargs
from django.utils import timezone, translation
from django.utils.dates import MONTHS
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail import blocks as wagtail_blocks
from wagtail.templatetags.wagtailcore_tags import IncludeBlockNode

register = template.Library()


@lru_cache(maxsize=16)
def month_names(language):
    with translation.override(language):
        return {number: str(name) for number, name in MONTHS.items()}


def local(value):
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def iso(value):
    """ISO 8601, for ``datetime`` attributes: 2026-11-22T15:00:00+01:00 or 2026-11-22."""
    if not isinstance(value, date):
        return ""
    value = local(value)
    if isinstance(value, datetime):
        # HTML's valid date strings allow at most three decimals: whole seconds suffice.
        return value.isoformat(timespec="seconds")
    return value.isoformat()


@register.filter
def day(value):
    """'22 November 2026' (Django's "j F Y"), month named in the active language."""
    if not isinstance(value, date):
        return ""
    value = local(value)
    names = month_names(translation.get_language() or "en")
    return f"{value.day} {names[value.month]} {value.year}"


@register.filter
def moment(value):
    """'22 November 2026, 15:00' (Django's "j F Y, H:i") in the site's time zone."""
    if not isinstance(value, datetime):
        return day(value)
    value = local(value)
    return f"{day(value)}, {value:%H:%M}"


@register.filter
@lru_cache(maxsize=64)  # a handful of language codes; called for every text on a card
def lang_attr(code):
    """` lang="nl"` for an element holding editors' text, when the page says which language
    it is written in (``content_lang`` in the card's context); nothing otherwise, so the
    text inherits the language of the page around it."""
    return format_html(' lang="{}"', code) if code else ""


@register.simple_tag(takes_context=True)
def render_live(context, live):
    """``{% render_live live %}``: what another app shows inside a card (``live``, which names
    its ``template``, of any engine) on a Django page outside a card, such as a proposal's
    page showing its election."""
    # The template escapes what it shows; its HTML is not escaped again.
    return mark_safe(  # noqa: S308
        loader.render_to_string(
            live.template,
            {"live": live, "content_lang": context.get("content_lang")},
            request=context.get("request"),
        )
    )


def renders_plainly(block):
    """Whether ``block`` renders as Wagtail's ``Block.render`` does: its ``Meta.template``
    with ``value`` and ``self`` added to the caller's context (no overridden hooks)."""
    kind = type(block)
    return (
        getattr(block.meta, "template", None)
        and kind.render is wagtail_blocks.Block.render
        and kind.get_context is wagtail_blocks.Block.get_context
        and kind.get_template is wagtail_blocks.Block.get_template
    )


class CardNode(template.Node):
    """``{% render_card child with name=value ... %}``: the card in the page's own context.

    It gives the same HTML as ``{% include_block child with ... %}``; ``include_block``
    copies the whole page context into a new one and renders the block's template with
    ``render_to_string`` for every card, which on a page of 200 cards costs more than the
    cards' own markup. Here the card template is looked up once per page render (in every
    template engine, the first that has it wins): a Django template is rendered like
    ``{% include %}``, on a pushed layer of the page's context; a template of another engine
    (the built-in cards are Jinja2 templates) with ``value``, ``self``, the names given
    after ``with``, ``page`` and the request (which brings ``csrf_input``). A block that
    overrides how it renders (``render``, ``get_context``, ``get_template``) still goes
    through ``include_block``'s path.
    """

    def __init__(self, child, extra):
        self.child = child
        self.extra = extra

    def render(self, context):
        try:
            child = self.child.resolve(context)
        except template.VariableDoesNotExist:
            return ""
        values = {name: var.resolve(context) for name, var in self.extra.items()}
        block = getattr(child, "block", None)
        if block is None or not renders_plainly(block):
            return IncludeBlockNode(self.child, self.extra, use_parent_context=True).render(context)
        templates = context.render_context.dicts[0].setdefault(self, {})
        name = block.meta.template
        card_template = templates.get(name)
        if card_template is None:
            card_template = templates[name] = loader.get_template(name)
        # Block.get_context's two names, as a dict: ``self`` is push()'s own first parameter.
        card_context = {"self": child.value, "value": child.value, **values}
        if isinstance(card_template, DjangoTemplate):
            with context.push(card_context):
                return card_template.template.render(context)
        # Another engine's template (the built-in cards' Jinja2 ones, blocks.jinja2_env) gets
        # the card's own names and the page, not the whole page context.
        card_context["page"] = context.get("page")
        return card_template.render(card_context, context.get("request"))


@register.tag
def render_card(parser, token):
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("{% render_card %} needs the stream child to render")
    child = parser.compile_filter(bits[0])
    if len(bits) > 1 and bits[1] != "with":
        raise template.TemplateSyntaxError("{% render_card child with name=value ... %}")
    extra = token_kwargs(bits[2:], parser)
    if len(bits) > 2 and not extra:
        raise template.TemplateSyntaxError("{% render_card %}: expected name=value after 'with'")
    return CardNode(child, extra)
