"""The Snowball Dutch stemmer, for databases that have no Dutch text configuration (SQLite).

PostgreSQL (``to_tsvector('dutch', …)``) and Elasticsearch (``stemmer`` filter, language
``dutch``) stem Dutch themselves with this same algorithm. SQLite's FTS5 only knows the English
Porter stemmer, so the database backend stores Dutch stems beside the text and stems query
words the same way; "zonnepaneel" then finds "zonnepanelen" there too.

The algorithm: https://snowballstem.org/algorithms/dutch/stemmer.html (the original Dutch
stemmer, which PostgreSQL 15 and Elasticsearch's ``dutch`` stemmer use).
"""

import re

_ACCENTS = str.maketrans("äëïöüáéíóú", "aeiouaeiou")
_VOWELS = frozenset("aeiouyè")
_WORD = re.compile(r"[^\W_]+")


def _is_vowel(char):
    return char in _VOWELS


def _prelude(word):
    """Remove accents; mark initial y, y after a vowel and i between vowels as consonants."""
    chars = list(word.translate(_ACCENTS))
    if chars and chars[0] == "y":
        chars[0] = "Y"
    for index in range(1, len(chars)):
        if not _is_vowel(chars[index - 1]):
            continue
        if chars[index] == "y":
            chars[index] = "Y"
        elif (
            chars[index] == "i"
            and index + 1 < len(chars)
            and _is_vowel(chars[index + 1])
        ):
            chars[index] = "I"
    return "".join(chars)


def _regions(word):
    """R1 and R2 as in German, with R1 moved so that at least three letters precede it."""
    length = len(word)
    r1 = r2 = length

    def after_vowel_consonant(start):
        for index in range(start + 1, length):
            if not _is_vowel(word[index]) and _is_vowel(word[index - 1]):
                return index + 1
        return length

    if length < 3:
        return r1, r2
    found = after_vowel_consonant(0)
    # R2 is searched from where R1 was found, before R1 is moved to the third letter.
    r2 = after_vowel_consonant(found) if found < length else length
    r1 = max(found, 3)
    return r1, r2


class _Stem:
    def __init__(self, word):
        self.word = word
        self.r1, self.r2 = _regions(word)
        self.e_found = False

    def ends(self, suffix):
        return self.word.endswith(suffix)

    def in_r1(self, suffix):
        return len(self.word) - len(suffix) >= self.r1

    def in_r2(self, suffix):
        return len(self.word) - len(suffix) >= self.r2

    def before(self, suffix, count=1):
        """The ``count`` characters just before ``suffix``."""
        end = len(self.word) - len(suffix)
        return self.word[max(0, end - count) : end]

    def cut(self, suffix):
        self.word = self.word[: len(self.word) - len(suffix)]

    def undouble(self):
        if self.word.endswith(("kk", "dd", "tt")):
            self.word = self.word[:-1]

    def en_ending(self, suffix):
        preceding = self.before(suffix)
        if (
            self.in_r1(suffix)
            and preceding
            and not _is_vowel(preceding)
            and self.before(suffix, 3) != "gem"
        ):
            self.cut(suffix)
            self.undouble()

    def e_ending(self):
        self.e_found = False
        preceding = self.before("e")
        if self.ends("e") and self.in_r1("e") and preceding and not _is_vowel(preceding):
            self.cut("e")
            self.e_found = True
            self.undouble()

    def step_1(self):
        for suffix in ("heden", "ene", "en", "se", "s"):
            if self.ends(suffix):
                break
        else:
            return
        if suffix == "heden":
            if self.in_r1(suffix):
                self.word = self.word[: -len(suffix)] + "heid"
        elif suffix in ("en", "ene"):
            self.en_ending(suffix)
        else:
            preceding = self.before(suffix)
            if self.in_r1(suffix) and preceding and not _is_vowel(preceding) and preceding != "j":
                self.cut(suffix)

    def step_3a(self):
        if self.ends("heid") and self.in_r2("heid") and self.before("heid") != "c":
            self.cut("heid")
            if self.ends("en"):
                self.en_ending("en")

    def step_3b(self):
        for suffix in ("lijk", "baar", "end", "ing", "bar", "ig"):
            if self.ends(suffix):
                break
        else:
            return
        if not self.in_r2(suffix):
            return
        if suffix in ("end", "ing"):
            self.cut(suffix)
            if self.ends("ig") and self.in_r2("ig") and self.before("ig") != "e":
                self.cut("ig")
            else:
                self.undouble()
        elif suffix == "ig":
            if self.before("ig") != "e":
                self.cut(suffix)
        elif suffix == "lijk":
            self.cut(suffix)
            self.e_ending()
        elif suffix == "baar":
            self.cut(suffix)
        elif suffix == "bar" and self.e_found:
            self.cut(suffix)

    def step_4(self):
        word = self.word
        if len(word) < 4:
            return
        consonant, vowel_1, vowel_2, last = word[-4], word[-3], word[-2], word[-1]
        if (
            not _is_vowel(last)
            and last != "I"
            and vowel_1 == vowel_2
            and vowel_1 in "aeou"
            and not _is_vowel(consonant)
        ):
            self.word = word[:-2] + last


def stem(word):
    """The Dutch stem of one lower-case word."""
    if len(word) < 3:
        return word
    state = _Stem(_prelude(word))
    state.step_1()
    state.e_ending()
    state.step_3a()
    state.step_3b()
    state.step_4()
    return state.word.replace("I", "i").replace("Y", "y")


def stems(text):
    """The Dutch stems of every word in ``text``, space separated."""
    return " ".join(stem(word) for word in _WORD.findall(text.lower()))
