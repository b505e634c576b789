"""Ambitions (taggit tags) typed in the page editor, in one normal form."""

import unicodedata

from taggit.utils import _parse_tags


def parse_tags(text):
    """Tag names in ``text`` (taggit's syntax: commas, or spaces, and double quotes).

    Unicode NFKC first, so "Ｇｒｏｅｎ" (full-width) is the tag "Groen", and a full-width
    comma separates like a comma; with ``TAGGIT_CASE_INSENSITIVE`` it then meets an existing
    "groen" instead of becoming a second ambition. Used through ``TAGGIT_TAGS_FROM_STRING``.
    """
    return _parse_tags(unicodedata.normalize("NFKC", text or ""))
