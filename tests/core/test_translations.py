"""The English interface is complete: every German text has its English counterpart."""

import re
from pathlib import Path

from django.utils import translation

PO = Path(__file__).resolve().parents[2] / "src/rathaus/locale/en/LC_MESSAGES/django.po"


def test_every_message_has_an_english_translation():
    text = PO.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]  # the first entry is the header
    untranslated = [
        e for e in entries if re.search(r'^msgstr(\[\d\])? ""(\n(?!")|\Z)', e, re.MULTILINE)
    ]
    assert not untranslated, "\n\n".join(untranslated[:5])
    assert "#, fuzzy" not in "\n\n".join(entries)


def test_the_compiled_catalogue_is_used():
    with translation.override("en"):
        assert translation.gettext("Zum Inhalt springen") == "Skip to content"
        assert translation.gettext("Leistungen A–Z") == "Services A–Z"


def test_a_course_session_is_no_appointment_in_english():
    """ "Termin" is an appointment at a Bürgerbüro but a session of a course."""
    with translation.override("en"):
        assert translation.gettext("Termin") == "Appointment"
        assert translation.pgettext("Kurs", "Termin") == "Session"
        assert translation.npgettext("Kurs", "%(n)s Termin", "%(n)s Termine", 3) == (
            "%(n)s sessions"
        )
        assert translation.pgettext("Kurs", "Termin absagen") == "Cancel session"
