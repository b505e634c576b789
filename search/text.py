"""Text as the index stores it and as visitors type it.

What a visitor types is never handed to a search engine's own query syntax: it is cut down to
words and quoted phrases here, and every backend builds its query from those, so quotes,
brackets, ``AND``/``NEAR``, ``*`` or ``:`` mean nothing special anywhere and every backend
looks for the same thing.
"""

import re
import unicodedata
from dataclasses import dataclass

from .stopwords import STOP_WORDS

# Highlight markers the backends put around matches; characters from Unicode's private use
# area, removed from indexed text (``clean``) so that content can never forge them.
MARK_START = "\ue000"
MARK_END = "\ue001"

_UNWANTED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\ufff0-\uffff]")
_SPACE = re.compile(r"\s+")
WORD = re.compile(r"[^\W_]+")



def clean(text, max_length=None):
    """Printable text: no control or private-use characters, whitespace collapsed."""
    text = unicodedata.normalize("NFC", str(text or ""))
    text = _SPACE.sub(" ", _UNWANTED.sub(" ", text)).strip()
    if max_length is not None and len(text) > max_length:
        text = text[:max_length].rstrip()
    return text


def words(text):
    return [word.lower() for word in WORD.findall(text)]


@dataclass(frozen=True)
class Term:
    """One thing to look for: a word, or a phrase (words in this order)."""

    words: tuple

    @property
    def is_phrase(self):
        return len(self.words) > 1

    @property
    def text(self):
        return " ".join(self.words)


@dataclass(frozen=True)
class ParsedText:
    text: str  # what was typed, cleaned and possibly shortened
    terms: tuple  # of Term; every one must match
    shortened: bool = False
    dropped_terms: bool = False


def parse(raw, *, max_length=200, max_terms=8, max_phrase_words=8, max_word_length=40):
    """Turn what a visitor typed into terms.

    Text between a pair of double quotes is a phrase; a quote without a partner is ignored.
    Everything else is separate words. All terms must match (AND). Words too long to be words
    are dropped, as are Dutch and English stop words (see ``search.stopwords``).
    """
    raw = str(raw or "")
    shortened = len(raw) > max_length
    text = clean(raw, max_length)
    parts = text.split('"')
    if len(parts) % 2 == 0:
        # An odd number of quotes: the last one opens nothing.
        parts[-2:] = [parts[-2] + " " + parts[-1]]
    terms, seen = [], set()
    dropped = False
    for index, part in enumerate(parts):
        found = [word for word in words(part) if len(word) <= max_word_length]
        if index % 2 == 1 and len(found) > 1:
            # A phrase keeps its stop words: they hold its other words apart as in the text.
            candidates = [Term(tuple(found[:max_phrase_words]))]
        else:
            candidates = [Term((word,)) for word in found if word not in STOP_WORDS]
        for term in candidates:
            if term in seen:
                continue
            if len(terms) >= max_terms:
                dropped = True
                break
            seen.add(term)
            terms.append(term)
    return ParsedText(text=text, terms=tuple(terms), shortened=shortened, dropped_terms=dropped)
