"""Query parsing and the Dutch stemmer."""

import pytest
from django.db import connection

from search.stemming import stem, stems
from search.stopwords import DUTCH, ENGLISH
from search.text import Term, clean, parse

# From the Snowball project's sample vocabulary for its Dutch stemmer.
SNOWBALL_SAMPLE = {
    "lichamelijkheden": "licham",
    "lichtdoorlatende": "lichtdoorlat",
    "lichtgevoeligheid": "lichtgevoel",
    "lichthoeveelheid": "lichthoevel",
    "lichtjes": "lichtjes",
    "lidvereniging": "lidveren",
    "opglimpingen": "opglimp",
    "ophaalsystemen": "ophaalsystem",
    "ophalers": "ophaler",
    "opheffende": "opheff",
    "ophoog": "ophog",
    "lichttoetreding": "lichttoetred",
}
WORDS = [
    *SNOWBALL_SAMPLE, "zonnepanelen", "zonnepaneel", "bomen", "boom", "gemeenten", "gemeente",
    "buurtbewoners", "speeltuin", "aanbesteding", "verkiezing", "duurzaamheid", "groenere",
    "straten", "fietsenstalling", "huizen", "koeien", "ondernemers", "vergaderingen", "mogelijkheden",
    "bijeenkomst", "café", "financiële", "eigenlijk", "zichtbaar", "heerlijke", "tuintjes",
]


def terms(*texts):
    return tuple(Term(tuple(text.split())) for text in texts)


def test_words_and_phrases():
    assert parse('zon "hele straat" bomen').terms == terms("zon", "hele straat", "bomen")


def test_unbalanced_quote_is_ignored():
    assert parse('zon "hele straat').terms == terms("zon", "hele", "straat")
    assert parse('"').terms == ()
    assert parse('x"b"c"').terms == terms("x", "b", "c")


def test_query_syntax_is_just_words():
    assert parse("title:zon* AND (bomen OR NOT park)^2 ~ {x} -y +z").terms == terms(
        "title", "zon", "bomen", "park", "2", "x", "y", "z"
    )


def test_one_word_phrase_is_a_word_and_duplicates_go():
    assert parse('"zon" zon ZON').terms == terms("zon")


def test_dutch_and_english_stop_words_are_dropped():
    # "de" and "het" would match nearly everything through the English configuration.
    assert parse("het park in de stad").terms == terms("park", "stad")
    assert parse("the park of the city").terms == terms("park", "city")
    assert parse("de het een").terms == ()
    # A phrase keeps them: they stand between its words in the text too.
    assert parse('"het park van de buurt"').terms == terms("het park van de buurt")


@pytest.mark.postgres
def test_stop_words_are_postgresqls_own(db, on_postgres):
    with connection.cursor() as cursor:
        for config, words in (("dutch", DUTCH), ("english", ENGLISH)):
            cursor.execute(
                "SELECT word FROM unnest(%s::text[]) AS word WHERE to_tsvector(%s::regconfig, word) <> ''",
                [sorted(words), config],
            )
            assert cursor.fetchall() == [], config


def test_limits():
    parsed = parse("x" * 500, max_length=200)
    assert parsed.shortened and parsed.terms == ()  # one 200-letter "word" is no word
    parsed = parse(" ".join(f"w{n}" for n in range(20)), max_terms=8)
    assert len(parsed.terms) == 8 and parsed.dropped_terms


def test_clean_removes_control_and_private_characters():
    assert clean("a\x00b\x1b[31m\ue000c\u200bd  e") == "a b [31m c\u200bd e"


@pytest.mark.parametrize(("word", "expected"), SNOWBALL_SAMPLE.items())
def test_dutch_stems_match_the_snowball_sample(word, expected):
    assert stem(word) == expected


def test_forms_share_a_stem():
    assert stem("zonnepanelen") == stem("zonnepaneel") == "zonnepanel"
    assert stem("bomen") == stem("boom") == "bom"
    assert stems("De Gemeenten!") == "de gemeent"


@pytest.mark.postgres
def test_dutch_stems_agree_with_postgresql(db, on_postgres):
    with connection.cursor() as cursor:
        for word in WORDS:
            cursor.execute("SELECT ts_lexize('dutch_stem', %s)", [word])
            (lexemes,) = cursor.fetchone()
            assert [stem(word)] == lexemes, word


@pytest.mark.postgres
def test_sqlite_stems_and_postgresql_dutch_configuration_agree(db, on_postgres):
    """What the SQLite backend stores (``stems``) is what ``to_tsvector('dutch', …)`` indexes,
    so a search finds the same forms on either database."""
    text = " ".join(word for word in WORDS if word not in DUTCH)
    with connection.cursor() as cursor:
        cursor.execute("SELECT lexeme FROM unnest(to_tsvector('dutch', %s)) ORDER BY lexeme", [text])
        postgresql = [row[0] for row in cursor.fetchall()]
    assert postgresql == sorted(set(stems(text).split()))
    assert "zonnepanel" in postgresql and "bom" in postgresql
