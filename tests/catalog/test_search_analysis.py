"""The query analysis is pure Python: the same for PostgreSQL and SQLite."""

from rathaus.catalog.search.analysis import Vocabulary, analyse, analysed_text, fold, stem

VOCABULARY = Vocabulary.build(
    [
        ["Reisepass beantragen", "Der Reisepass ist ein Dokument."],
        ["Führerschein umtauschen", "Alter Führerschein"],
        ["Straßenverkehrsamt", "Kfz zulassen"],
        ["Hundesteuer anmelden", "Hund Steuer"],
    ],
    synonym_groups=[["Auto", "Kfz", "Pkw"]],
)


def alternatives(query: str) -> list[tuple[str, ...]]:
    return [term.alternatives for term in analyse(query, VOCABULARY)]


def test_spellings_without_umlauts_fold_to_the_same_key():
    assert fold("Führerschein") == fold("Fuehrerschein")
    assert fold("Straße") == fold("STRASSE")


def test_stemming_is_snowball_german():
    assert stem("Anmeldung") == stem("anmelden") == "anmeld"
    assert stem("Häuser") == "haus"


def test_stop_words_are_dropped():
    assert [t.word for t in analyse("Ich will einen Reisepass für mich", VOCABULARY)] == [
        "reisepass"
    ]


def test_a_query_of_stop_words_only_has_no_terms():
    assert analyse("und die der", VOCABULARY) == []


def test_transliterated_umlauts_find_the_catalogue_spelling():
    assert "führerschein" in alternatives("Fuehrerschein")[0]


def test_a_typo_in_a_short_query_finds_the_closest_word():
    assert "reisepass" in alternatives("Reispass")[0]
    assert "hundesteuer" in alternatives("hundesteur")[0]


def test_long_queries_get_no_typo_guessing():
    terms = alternatives("reispass beantragen schnell heute bitte")
    assert terms[0] == ("reispass",)


def test_a_word_being_typed_is_not_corrected():
    # "hundest" is the start of a catalogue word: prefix matching finds it, no guessing.
    assert alternatives("hundest") == [("hundest",)]


def test_synonym_groups_widen_a_term():
    assert {"auto", "pkw"} <= set(alternatives("Kfz")[0])


def test_rare_words_weigh_more_than_common_ones():
    vocabulary = Vocabulary.build([["Antrag Hund"], ["Antrag Pass"], ["Antrag Auto"]])
    rare, common = analyse("Hund Antrag", vocabulary)
    assert rare.weight > common.weight


def test_hostile_input_becomes_plain_words():
    query = "'; DROP TABLE catalog_service; -- <script>\"*NEAR(\x00"
    words = [t.word for t in analyse(query, VOCABULARY)]
    assert all(w.isalnum() for w in words)
    assert "drop" in words and "script" in words


def test_queries_are_capped():
    assert len(analyse("pass " * 1000, VOCABULARY)) == 1
    assert len(analyse(" ".join(f"wort{i}" for i in range(50)), VOCABULARY)) == 8


def test_analysed_text_is_what_sqlite_indexes():
    assert analysed_text("Die Anmeldung des Hundes") == "anmeld hund"
