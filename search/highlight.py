"""Matches shown in ``<mark>``: the text is escaped piece by piece, never marked safe whole."""

from django.utils.html import format_html, format_html_join

from .text import MARK_END, MARK_START


def marked_html(text):
    """HTML for text in which backends put MARK_START/MARK_END around matches.

    Every piece of text goes through ``format_html`` (escaped); only our own ``<mark>``
    elements are markup. Unbalanced markers (a cut fragment) are closed or ignored.
    """
    pieces, inside = [], False
    for part in text.replace(MARK_END, MARK_START).split(MARK_START):
        pieces.append((part, inside))
        inside = not inside
    return format_html_join(
        "",
        "{}",
        ((format_html("<mark>{}</mark>", part) if is_mark and part else part,) for part, is_mark in pieces),
    )


def hit_context(hit, site, labels, query):
    """What the template shows for a hit: marked title and snippet, a local or full link."""
    url = hit.url
    if site is not None and hit.site_id == site.id and url.startswith(site.root_url):
        url = url[len(site.root_url) :] or "/"
    return {
        "hit": hit,
        "url": url,
        "kind_label": labels.get(hit.kind, hit.kind),
        "title_html": marked_html(hit.title_marked) if hit.title_marked else hit.title,
        "snippet_html": marked_html(hit.snippet_marked) if hit.snippet_marked else hit.body,
        "is_open": hit.is_open(query.now),
    }
