"""Every interface language is complete: each German text has its counterpart in English,
Türkçe, Українська, العربية, Polski and 日本語, with the same placeholders."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import trans_real

LOCALE = Path(__file__).resolve().parents[2] / "src/rathaus/locale"
TRANSLATED = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|\{\w*\}")


def test_all_seven_languages_are_offered():
    assert [code for code, _ in settings.LANGUAGES] == ["de", "en", "tr", "uk", "ar", "pl", "ja"]


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated(code):
    text = (LOCALE / code / "LC_MESSAGES/django.po").read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]  # the first entry is the header
    untranslated = [
        e for e in entries if re.search(r'^msgstr(\[\d\])? ""(\n(?!")|\Z)', e, re.MULTILINE)
    ]
    assert not untranslated, "\n\n".join(untranslated[:5])
    assert "#, fuzzy" not in "\n\n".join(entries)


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_keep_the_placeholders(code):
    """An unknown %(name)s raises at run time, and msgfmt checks only the entries flagged
    python-format; plural forms are left to msgfmt (their singular may omit the number)."""
    catalog = trans_real.translation(code)._catalog
    wrong = []
    for msgid, value in catalog.items():
        if not isinstance(msgid, str):
            continue
        if "\x04" in msgid:
            msgid = msgid.split("\x04", 1)[1]
        if not msgid:
            continue
        if not set(PLACEHOLDER.findall(value)) <= set(PLACEHOLDER.findall(msgid)):
            wrong.append((msgid, value))
    assert wrong == []


def test_the_compiled_catalogue_is_used():
    with translation.override("en"):
        assert translation.gettext("Zum Inhalt springen") == "Skip to content"
        assert translation.gettext("Leistungen A–Z") == "Services A–Z"
    with translation.override("ar"):
        assert translation.gettext("Leistungen A–Z") != "Leistungen A–Z"
        assert translation.get_language_bidi()
    with translation.override("ja"):
        assert translation.gettext("Zum Inhalt springen") != "Zum Inhalt springen"


def test_a_course_session_is_no_appointment_in_english():
    """ "Termin" is an appointment at a Bürgerbüro but a session of a course."""
    with translation.override("en"):
        assert translation.gettext("Termin") == "Appointment"
        assert translation.pgettext("Kurs", "Termin") == "Session"
        assert translation.npgettext("Kurs", "%(n)s Termin", "%(n)s Termine", 3) == (
            "%(n)s sessions"
        )
        assert translation.pgettext("Kurs", "Termin absagen") == "Cancel session"
