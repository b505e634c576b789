"""Date formatting and the language of editors' texts, for cards.

A page of 200 cards shows about a thousand dates; Django's ``|date`` filter re-resolves the
lazily translated month names and walks its general formatter for each. These filters give
the same output for the two formats cards use, at a fraction of the cost, which keeps a
large page inside its render budget (bench/render.py).
"""

from datetime import date, datetime
from functools import lru_cache

from django import template
from django.utils import timezone, translation
from django.utils.dates import MONTHS
from django.utils.html import format_html

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
def lang_attr(code):
    """` lang="nl"` for an element holding editors' text, when the page says which language
    it is written in (``content_lang`` in the card's context); nothing otherwise, so the
    text inherits the language of the page around it."""
    return format_html(' lang="{}"', code) if code else ""


@register.simple_tag(takes_context=True)
def map_shown(context, value):
    """A map card's ``(entries, data)`` on the page being rendered, if any (see
    ``MapValue.shown_for``); previews render cards without a page."""
    return value.shown_for(context.get("page"))
