"""The form engine: every field type, conditions, validation, versions, the JSON format."""

from decimal import Decimal

import pytest

from rathaus.applications.formdef.engine import FormSchema, PageForm, display, validate_all
from rathaus.applications.formdef.schema import validate_schema
from rathaus.applications.formdef.types import iban_is_valid, parse_decimal

SCHEMA = {
    "pages": [
        {
            "title": "Alles",
            "fields": [
                {
                    "key": "name",
                    "type": "text",
                    "label": "Name",
                    "required": True,
                    "max_length": 20,
                },
                {"key": "text", "type": "textarea", "label": "Text", "required": False},
                {
                    "key": "flaeche",
                    "type": "number",
                    "label": "Fläche",
                    "required": True,
                    "min": "5",
                    "max": "100",
                    "unit": "m²",
                },
                {"key": "kosten", "type": "money", "label": "Kosten", "required": True},
                {
                    "key": "datum",
                    "type": "date",
                    "label": "Datum",
                    "required": True,
                    "date_rule": "past",
                },
                {
                    "key": "art",
                    "type": "choice",
                    "label": "Art",
                    "required": True,
                    "options": [["a", "Extensiv"], ["b", "Intensiv"]],
                },
                {
                    "key": "mehr",
                    "type": "multichoice",
                    "label": "Mehr",
                    "required": False,
                    "options": [["x", "X"], ["y", "Y"]],
                },
                {"key": "eigen", "type": "yesno", "label": "Eigentum", "required": True},
                {
                    "key": "grund",
                    "type": "text",
                    "label": "Grund",
                    "required": True,
                    "visible_if": {"field": "eigen", "equals": "nein"},
                },
                {"key": "adresse", "type": "address", "label": "Anschrift", "required": True},
                {"key": "iban", "type": "iban", "label": "IBAN", "required": True},
                {"key": "mail", "type": "email", "label": "E-Mail", "required": True},
                {"key": "tel", "type": "phone", "label": "Telefon", "required": False},
                {
                    "key": "kz",
                    "type": "text",
                    "label": "Kennzeichen",
                    "required": False,
                    "pattern": "D-[A-Z]{1,2} [0-9]{1,4}",
                    "pattern_message": "Bitte so: D-AB 1234",
                },
                {
                    "key": "kinder",
                    "type": "group",
                    "label": "Kind",
                    "required": False,
                    "fields": [
                        {"key": "vorname", "type": "text", "label": "Vorname", "required": True},
                    ],
                },
            ],
        },
        {
            "title": "Später",
            "fields": [
                {
                    "key": "nachweis",
                    "type": "text",
                    "label": "Nachweis",
                    "required": True,
                    "visible_if": {"field": "eigen", "equals": "nein"},
                },
                {"key": "bemerkung", "type": "text", "label": "Bemerkung", "required": False},
            ],
        },
    ]
}
FORM = FormSchema(schema=SCHEMA, version=3)
GOOD = {
    "name": "Erika",
    "flaeche": "45,5",
    "kosten": "1.234,50",
    "datum": "01.02.2020",
    "art": "a",
    "mehr": ["x", "y"],
    "eigen": "ja",
    "adresse__street": "Königsallee 1",
    "adresse__postcode": "40212",
    "adresse__city": "Düsseldorf",
    "iban": "de02 1203 0000 0000 2020 51",
    "mail": "erika@beispiel.de",
    "tel": "0211 123456",
    "kz": "D-EM 1234",
    "kinder-rows": "1",
    "kinder-0-vorname": "Paul",
    "formular_version": "3",
}


def page_form(**changes) -> PageForm:
    data = {**GOOD, **changes}
    return PageForm(FORM, 0, {}, data={k: v for k, v in data.items() if v is not None})


def test_a_complete_page_gives_typed_values():
    form = page_form()
    assert form.is_valid(), form.errors
    values = form.values()
    assert values["flaeche"] == "45.5"
    assert values["kosten"] == "1234.50"
    assert values["datum"] == "2020-02-01"
    assert values["mehr"] == ["x", "y"]
    assert values["iban"] == "DE02120300000000202051"
    assert values["adresse"] == {
        "street": "Königsallee 1",
        "postcode": "40212",
        "city": "Düsseldorf",
    }
    assert values["kinder"] == [{"vorname": "Paul"}]
    assert "grund" not in values  # the condition does not hold


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Bitte beantworten Sie: Name"),
        ({"name": "x" * 21}, "name", "höchstens 20 Zeichen"),
        ({"flaeche": "3"}, "flaeche", "mindestens 5"),
        ({"flaeche": "1.000"}, "flaeche", "höchstens 100"),
        ({"flaeche": "viel"}, "flaeche", "Bitte geben Sie eine Zahl ein"),
        ({"kosten": "12,345"}, "kosten", "höchstens 2 Stellen"),
        ({"datum": "31.02.2020"}, "datum", "26.11.2026"),
        ({"datum": "01.01.2099"}, "datum", "Vergangenheit"),
        ({"art": "z"}, "art", "eine der Möglichkeiten"),
        ({"mehr": ["x", "q"]}, "mehr", "nur angebotene"),
        ({"eigen": ""}, "eigen", "Bitte beantworten Sie: Eigentum"),
        ({"adresse__postcode": "50667"}, "adresse__postcode", "zwischen 40210 und 40629"),
        ({"adresse__postcode": "40a12"}, "adresse__postcode", "fünf Ziffern"),
        ({"iban": "DE02120300000000202052"}, "iban", "IBAN stimmt nicht"),
        ({"mail": "erika@"}, "mail", "gültige E-Mail-Adresse"),
        ({"tel": "abc"}, "tel", "Telefonnummer"),
        ({"kz": "Düsseldorf"}, "kz", "Bitte so: D-AB 1234"),
        ({"kinder-0-vorname": ""}, "kinder-0-vorname", "Bitte beantworten Sie: Vorname"),
        ({"name": "Er\x07ika"}, "name", "Steuerzeichen"),
    ],
)
def test_every_type_explains_bad_input_in_german(changes, field, message):
    form = page_form(**changes)
    assert not form.is_valid()
    assert any(message in error for error in form.errors[field]), form.errors[field]


def test_a_condition_on_the_same_page_counts_only_when_it_holds():
    assert "grund" in page_form(eigen="nein").errors
    assert page_form(eigen="nein", grund="Miete").is_valid()
    form = page_form(eigen="ja", grund="wird ignoriert")
    assert form.is_valid()
    assert "grund" not in form.values()


def test_a_condition_on_an_earlier_page_hides_the_question():
    later = PageForm(FORM, 1, {"eigen": "ja"})
    assert "nachweis" not in later.fields
    later = PageForm(FORM, 1, {"eigen": "nein"})
    assert later.fields["nachweis"].required


def test_a_version_from_elsewhere_is_refused():
    form = page_form(formular_version="2")
    assert not form.is_valid()
    assert "anderen Version" in str(form.non_field_errors())


def test_validate_all_finds_problems_page_by_page_and_display_reads_well():
    answers = {k: v for k, v in GOOD.items() if k != "formular_version"}
    result = validate_all(FORM, {**answers, "eigen": "nein", "grund": "Miete"})
    assert result.errors == {1: {"nachweis": ["Bitte beantworten Sie: Nachweis"]}}
    result = validate_all(FORM, answers)
    assert result.ok
    lines = dict(display(FORM, result.values)[0]["lines"])
    assert lines["Fläche"] == "45,5 m²"
    assert lines["Kosten"] == "1.234,50\u00a0€"
    assert lines["Datum"] == "01.02.2020"
    assert lines["IBAN"] == "DE02 1203 0000 0000 2020 51"
    assert lines["Eigentum"] == "Ja"
    assert lines["Kind 1: Vorname"] == "Paul"


def test_german_numbers_and_ibans():
    assert parse_decimal("1.234,50") == Decimal("1234.50")
    assert parse_decimal("1.500") == Decimal("1500")
    assert parse_decimal("12.5") == Decimal("12.5")
    assert parse_decimal("12 €") == Decimal("12")
    for bad in ["", "1,2,3", "NaN", "Infinity", "12e5x"]:
        with pytest.raises(Exception):  # noqa: B017,PT011 -- any parse error is right
            parse_decimal(bad)
    assert iban_is_valid("DE89370400440532013000")
    assert not iban_is_valid("DE89370400440532013001")
    assert not iban_is_valid("DE8937040044053201300")  # 21 characters


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ({}, "Liste von Seiten"),
        ({"pages": []}, "keine Seite"),
        ({"pages": [{"title": "", "fields": []}]}, "keine Überschrift"),
        (
            {"pages": [{"title": "A", "fields": [{"key": "X!", "type": "text", "label": "x"}]}]},
            "Kleinbuchstaben",
        ),
        (
            {"pages": [{"title": "A", "fields": [{"key": "a", "type": "zauber", "label": "x"}]}]},
            "unbekannte Art",
        ),
        (
            {"pages": [{"title": "A", "fields": [{"key": "a", "type": "choice", "label": "x"}]}]},
            "Auswahlmöglichkeiten",
        ),
        (
            {
                "pages": [
                    {
                        "title": "A",
                        "fields": [
                            {"key": "a", "type": "text", "label": "x"},
                            {"key": "a", "type": "text", "label": "y"},
                        ],
                    }
                ]
            },
            "doppelt",
        ),
        (
            {
                "pages": [
                    {
                        "title": "A",
                        "fields": [
                            {
                                "key": "a",
                                "type": "text",
                                "label": "x",
                                "visible_if": {"field": "b", "equals": "1"},
                            }
                        ],
                    }
                ]
            },
            "nicht vorher",
        ),
        (
            {
                "pages": [
                    {
                        "title": "A",
                        "fields": [{"key": "a", "type": "text", "label": "x", "pattern": "(["}],
                    }
                ]
            },
            "kein gültiger Ausdruck",
        ),
        (
            {
                "pages": [
                    {
                        "title": "A",
                        "fields": [{"key": "a", "type": "file", "label": "x", "accept": ["exe"]}],
                    }
                ]
            },
            "nur PDF, JPEG und PNG",
        ),
        (
            {
                "pages": [
                    {
                        "title": "A",
                        "fields": [
                            {
                                "key": "g",
                                "type": "group",
                                "label": "G",
                                "fields": [{"key": "f", "type": "file", "label": "x"}],
                            }
                        ],
                    }
                ]
            },
            "nicht in einer Gruppe",
        ),
    ],
)
def test_broken_definitions_are_refused_with_the_reason(schema, message):
    errors = validate_schema(schema)
    assert any(message in e for e in errors), errors


def test_the_demo_forms_are_valid():
    import json
    from pathlib import Path

    import rathaus.applications.demo as demo

    for path in Path(demo.__file__).parent.joinpath("forms").glob("*.json"):
        assert validate_schema(json.loads(path.read_text(encoding="utf-8"))) == [], path.name
