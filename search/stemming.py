"""Dutch stems for databases that have no Dutch text configuration (SQLite).

PostgreSQL (``to_tsvector('dutch', …)``) and Elasticsearch (``stemmer`` filter, language
``dutch``) stem Dutch themselves. SQLite's FTS5 only knows the English Porter stemmer, so the
database backend stores Dutch stems beside the text and stems query words the same way;
"zonnepaneel" then finds "zonnepanelen" there too.

The stems come from the Snowball project's own Python build (``snowballstemmer``), algorithm
``dutch_porter``: the original Dutch stemmer (https://snowballstem.org/algorithms/dutch/stemmer.html),
which PostgreSQL 15's ``dutch`` configuration and Elasticsearch's ``dutch`` stemmer use.
Snowball 3's newer ``dutch`` algorithm stems differently (``bomen`` → ``boom``), so it would
not match PostgreSQL; ``tests/search/test_text.py`` compares the two on PostgreSQL.
"""

import re
import threading

import snowballstemmer

ALGORITHM = "dutch_porter"
_WORD = re.compile(r"[^\W_]+")
# A Snowball stemmer keeps the word it works on in the object: one per thread.
_local = threading.local()


def _stemmer():
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer(ALGORITHM)
    return stemmer


def stem(word):
    """The Dutch stem of one lower-case word."""
    return _stemmer().stemWord(word)


def stems(text):
    """The Dutch stems of every word in ``text``, space separated."""
    return " ".join(_stemmer().stemWords(_WORD.findall(text.lower())))
