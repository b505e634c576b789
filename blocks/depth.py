"""How deeply untrusted text nests, measured before any parser builds it.

Python's ``json`` and most tree builders recurse once per level of nesting. Below the
recursion limit a deep document is a ``RecursionError``; in a process whose limit was raised
(py-evm and py_ecc raise it to 12,000 and 100,000 on import) it overflows the C stack and the
process dies without answering. So every parser of posted structured data asks these functions
first; they only scan the text, with no recursion, in time linear in its length.
"""

import json
import re
from html.parser import HTMLParser

#: Deepest nesting accepted in posted JSON (GeoJSON, card values). A GeoJSON MultiPolygon in
#: a FeatureCollection is 8 levels deep; card values are a few.
MAX_JSON_DEPTH = 64

#: Deepest nesting of elements accepted in posted rich text. What Draftail produces is at most
#: a few levels (list items in lists, inline styles in a paragraph).
MAX_HTML_DEPTH = 100

# A JSON string, escapes included (written as an unrolled loop, so it never backtracks).
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_JSON_BRACKET = re.compile(r"[\[\]{}]")

# Elements that never have content (HTML Living Standard, "void elements").
_VOID_ELEMENTS = frozenset(
    "area base br col embed hr img input link meta source track wbr".split()
)


class TooDeep(ValueError):
    """The text nests deeper than ``limit`` levels."""

    def __init__(self, limit):
        super().__init__(f"nested deeper than {limit} levels")
        self.limit = limit


def json_depth(text, stop_after=None):
    """The deepest nesting of arrays and objects in JSON ``text`` (0 for a scalar).

    Brackets inside strings do not count. Text that is not JSON gets a number too (the parser
    refuses it afterwards). With ``stop_after``, counting stops as soon as that depth is passed.
    """
    depth = deepest = 0
    for bracket in _JSON_BRACKET.findall(_JSON_STRING.sub("", text)):
        if bracket in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if stop_after is not None and deepest > stop_after:
                    break
        elif depth:
            depth -= 1
    return deepest


def check_json_depth(text, limit=MAX_JSON_DEPTH):
    """Raise :class:`TooDeep` when JSON ``text`` nests deeper than ``limit``."""
    if json_depth(text, stop_after=limit) > limit:
        raise TooDeep(limit)


def loads(text, limit=MAX_JSON_DEPTH, **kwargs):
    """``json.loads`` for untrusted text: :class:`TooDeep` (a ``ValueError``) beyond ``limit``."""
    if isinstance(text, bytes | bytearray):
        text = text.decode()
    check_json_depth(text, limit)
    return json.loads(text, **kwargs)


class _DepthCounter(HTMLParser):
    """Counts open elements as the tokenizer meets them (the tokenizer itself is flat)."""

    def __init__(self, stop_after):
        super().__init__(convert_charrefs=False)
        self.stop_after = stop_after
        self.depth = self.deepest = 0

    def handle_starttag(self, tag, attrs):
        if tag in _VOID_ELEMENTS:
            return
        self.depth += 1
        if self.depth > self.deepest:
            self.deepest = self.depth
            if self.stop_after is not None and self.deepest > self.stop_after:
                raise TooDeep(self.stop_after)

    def handle_endtag(self, tag):
        if tag not in _VOID_ELEMENTS and self.depth:
            self.depth -= 1


def html_depth(text, stop_after=None):
    """The deepest nesting of elements in HTML ``text``, counting unclosed ones as open."""
    counter = _DepthCounter(stop_after)
    try:
        counter.feed(text)
        counter.close()
    except TooDeep:
        pass
    return counter.deepest


def check_html_depth(text, limit=MAX_HTML_DEPTH):
    """Raise :class:`TooDeep` when HTML ``text`` nests elements deeper than ``limit``."""
    if html_depth(text, stop_after=limit) > limit:
        raise TooDeep(limit)
