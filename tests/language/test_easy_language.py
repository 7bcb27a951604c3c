"""The easy-language checker: every rule on sentences that break it and on sentences that
keep it (so a rule that fires on everything, or on nothing, fails), positions, readability."""

import pytest

from rathaus.language import easy_language
from rathaus.language.easy_language import check, readability, sentences, syllables


def rules(text: str) -> list[str]:
    return [finding.rule for finding in check(text)]


# (rule, a sentence that breaks it, the words it points at, a sentence that keeps it)
EXAMPLES = [
    (
        "satzlaenge",
        "Bitte bringen Sie zu Ihrem Termin im Bürger-Büro Ihren alten Ausweis und ein neues "
        "Foto mit.",
        "Bitte bringen Sie zu Ihrem Termin im Bürger-Büro Ihren alten Ausweis und ein neues "
        "Foto mit.",
        "Bitte bringen Sie Ihren alten Ausweis mit.",
    ),
    (
        "mehrere-aussagen",
        "Sie brauchen ein Foto, weil das Amt es prüft.",
        "weil",
        "Sie brauchen ein Foto.",
    ),
    ("mehrere-aussagen", "Das ist der Antrag, den Sie ausfüllen.", "den", "Das ist der Antrag."),
    (
        "mehrere-aussagen",
        "Sie zahlen 37 Euro, und Sie bekommen den Ausweis.",
        "und",
        "Sie zahlen 37 Euro und 50 Cent.",
    ),
    (
        "mehrere-aussagen",
        "Kommen Sie früher, wenn Sie Fragen haben.",
        "wenn",
        "Wenn Sie Fragen haben: Rufen Sie an.",
    ),
    (
        "mehrere-aussagen",
        "Sie zahlen vorher; dann bekommen Sie den Ausweis.",
        ";",
        "Sie zahlen vorher.",
    ),
    (
        "langes-wort",
        "Sie brauchen einen Personalausweis.",
        "Personalausweis",
        "Sie brauchen einen Personal-Ausweis.",
    ),
    (
        "langes-wort",
        "Gehen Sie zur Bezirksverwaltungsstelle.",
        "Bezirksverwaltungsstelle",
        "Sie bekommen eine Bescheinigung und gehen zum Bezirks·amt.",
    ),
    (
        "passiv",
        "Der Antrag wird vom Amt geprüft.",
        "wird vom Amt geprüft",
        "Das Amt prüft den Antrag.",
    ),
    ("passiv", "Die Karte wurde abgeholt.", "wurde abgeholt", "Sie werden Post bekommen."),
    ("konjunktiv", "Sie könnten auch anrufen.", "könnten", "Sie können auch anrufen."),
    ("konjunktiv", "Es wäre gut, wenn Sie kommen.", "wäre", "Es ist gut."),
    ("verneinung", "Das Amt ist nicht offen.", "nicht", "Das Amt ist zu."),
    ("verneinung", "Sie brauchen keinen Termin.", "keinen", "Sie brauchen einen Termin."),
    ("genitiv", "Das ist das Auto des Mannes.", "des", "Das ist das Auto von dem Mann."),
    ("genitiv", "Wegen der Ferien ist zu.", "Wegen", "Wegen Ferien ist zu."),
    (
        "abkuerzung",
        "Bringen Sie z. B. einen Pass mit.",
        "z. B.",
        "Bringen Sie zum Beispiel einen Pass mit.",
    ),
    ("abkuerzung", "Rufen Sie uns bzw. das Amt an.", "bzw.", "Rufen Sie uns an."),
    ("zahlwort", "Sie brauchen zwei Fotos.", "zwei", "Sie brauchen 2 Fotos."),
    ("prozent-grosse-zahl", "Das sind 30 % mehr.", "30 %", "Das ist viel mehr."),
    (
        "prozent-grosse-zahl",
        "Die Stadt hat 620.000 Einwohner.",
        "620.000",
        "Die Stadt hat viele Einwohner.",
    ),
    ("fremdwort", "Geben Sie uns Feedback.", "Feedback", "Geben Sie uns eine Rückmeldung."),
    (
        "fremdwort",
        "Melden Sie sich beim Service-Team.",
        "Service-Team",
        "Melden Sie sich bei der Hilfe·stelle.",
    ),
    ("sonderzeichen", "Hund & Katze brauchen Futter.", "&", "Hund und Katze brauchen Futter."),
    ("sonderzeichen", "Das steht in § 3.", "§", "Das steht im Gesetz."),
]


@pytest.mark.parametrize(("rule", "breaks", "points_at", "keeps"), EXAMPLES)
def test_each_rule_finds_what_breaks_it_and_not_what_keeps_it(rule, breaks, points_at, keeps):
    found = [f for f in check(breaks) if f.rule == rule]
    assert [f.text for f in found] == [points_at]
    assert found[0].hint and found[0].hint[0].isupper()
    assert rule not in rules(keeps)


@pytest.mark.parametrize(
    ("rule", "keeps"),
    [
        ("langes-wort", "Unterschreiben Sie auf dem Wahl-Schein."),  # a verb at the start
        ("langes-wort", "Die Veranstaltungen sind am Abend."),  # long by its plural ending
        ("langes-wort", "Die Adresse ist: Lindenhofplatz 2, 40597 Düsseldorf."),  # a street
        ("mehrere-aussagen", "Das Geld ist für das Leben, die Miete und die Heizung."),
        ("mehrere-aussagen", "Wenn Sie Fragen haben, rufen Sie an."),
    ],
)
def test_what_only_looks_like_breaking_a_rule(rule, keeps):
    assert rule not in rules(keeps)


def test_every_rule_has_examples_and_a_source():
    assert {rule.key for rule in easy_language.RULES} == {example[0] for example in EXAMPLES}
    assert all(rule.source and rule.title for rule in easy_language.RULES)


def test_a_good_easy_language_text_has_no_finding():
    text = (
        "Sie sind umgezogen?\n"
        "Dann melden Sie Ihre neue Wohnung an.\n"
        "Das geht im Bürger-Büro.\n"
        "Bringen Sie Ihren Personal-Ausweis mit.\n"
        "Sie brauchen auch eine Bestätigung vom Vermieter.\n"
        "Die Anmeldung ist kostenlos.\n"
        "Sie haben Fragen?\n"
        "Rufen Sie uns an: 0211 89-91.\n"
        "Oder schreiben Sie eine E-Mail an buergerbuero@duesseldorf.de.\n"
        "Mehr steht auf www.duesseldorf.de/buergerbuero."
    )
    assert check(text) == []


def test_positions_are_lines_and_columns_of_the_text():
    text = "Das ist gut.\nSie könnten auch anrufen."
    (finding,) = check(text)
    assert (finding.line, finding.column) == (2, 5)
    assert text[finding.start : finding.end] == "könnten"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # line breaks end sentences; abbreviations, dates and e-mail addresses do not
            "Am 26.11.2026 ist z. B. offen. Kommen Sie!\nSchreiben Sie an info@stadt.de. Danke",
            [
                "Am 26.11.2026 ist z. B. offen.",
                "Kommen Sie!",
                "Schreiben Sie an info@stadt.de.",
                "Danke",
            ],
        ),
        (  # ordinals do not end a sentence, a number at its end does
            "Am 1. Januar und bis zum 18. Geburtstag zahlen Sie wenig. Sie sind 18. Dann geht es.",
            [
                "Am 1. Januar und bis zum 18. Geburtstag zahlen Sie wenig.",
                "Sie sind 18.",
                "Dann geht es.",
            ],
        ),
        (  # an address at the end of a sentence leaves its full stop to the sentence
            "Mehr auf www.duesseldorf.de/buergerbuero. Dann gehen Sie hin.",
            ["Mehr auf www.duesseldorf.de/buergerbuero.", "Dann gehen Sie hin."],
        ),
    ],
)
def test_where_sentences_end(text, expected):
    assert [text[s:e] for s, e in sentences(text)] == expected


def test_addresses_and_postcodes_are_no_findings():
    assert check("Die Adresse ist 40213 Düsseldorf.") == []
    assert check("Mehr auf https://www.duesseldorf.de/a&b/(x)/seite.") == []


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("Haus", 1),
        ("Straße", 2),
        ("Anmeldung", 3),
        ("Bürgerbüro", 4),
        ("Euro", 2),
        ("Bescheinigung", 4),
        ("x", 1),
    ],
)
def test_syllables(word, count):
    assert syllables(word) == count


def test_readability_follows_its_formulas():
    figures = readability("Wir helfen Ihnen gern. Das Amt ist offen.")
    assert (figures.sentences, figures.words, figures.syllables) == (2, 8, 11)
    # MS = 0 % with ≥ 3 syllables, SL = 4 words, IW = 0 % longer than 6 letters,
    # ES = 5 of 8 with one syllable (Wir, gern, Das, Amt, ist).
    assert figures.wiener_sachtextformel == pytest.approx(
        0.1672 * 4 - 0.0327 * 62.5 - 0.875, abs=0.05
    )
    assert figures.flesch_amstad == pytest.approx(180 - 4 - 58.5 * 11 / 8, abs=0.05)


def test_standard_german_reads_harder_than_easy_language():
    official = readability(
        "Die Anmeldung einer Wohnung ist innerhalb von zwei Wochen nach dem Bezug bei der "
        "zuständigen Meldebehörde unter Vorlage der Wohnungsgeberbestätigung vorzunehmen."
    )
    easy = readability("Sie sind umgezogen?\nMelden Sie die neue Wohnung an.\nDas geht schnell.")
    assert official.wiener_sachtextformel > 10 > easy.wiener_sachtextformel
    assert official.flesch_amstad < 50 < easy.flesch_amstad


def test_an_empty_text_has_no_finding_and_no_figures():
    assert check("") == check("  \n\n ") == []
    assert readability("").words == 0
