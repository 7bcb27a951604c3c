"""Plausible answers for any form definition: sample cases for the demo and for benchmarks."""

import re
from datetime import timedelta
from typing import Any

from django.utils import timezone

KNOWN = {
    "vorname": "Erika",
    "nachname": "Mustermann",
    "name": "Erika Mustermann",
    "kennzeichen": "D-EM 1234",
    "kontoinhaber": "Erika Mustermann",
}
PATTERN_CANDIDATES = ["D-EM 1234", "08:00", "16:00", "12345", "1234", "DE", "Beispiel"]
DEMO_IBAN = "DE02120300000000202051"
# One empty A4 page with a correct cross-reference table: uploads must really parse as PDF.
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)


def _text(spec: dict[str, Any]) -> str:
    value = KNOWN.get(spec["key"], "Beispielangabe")
    pattern = spec.get("pattern")
    if not pattern or re.fullmatch(pattern, value):
        return value
    return next((c for c in PATTERN_CANDIDATES if re.fullmatch(pattern, c)), value)


def _number(spec: dict[str, Any]) -> str:
    low = float(spec.get("min") or 0)
    high = float(spec.get("max") or (low + 100))
    return f"{(low + high) / 2:.2f}".replace(".", ",")


def _value(spec: dict[str, Any]) -> Any:
    kind = spec["type"]
    today = timezone.localdate()
    if kind in {"text", "textarea"}:
        return _text(spec)
    if kind in {"number", "money"}:
        return _number(spec)
    if kind == "date":
        day = (
            today - timedelta(days=900)
            if spec.get("date_rule") != "future"
            else today + timedelta(days=60)
        )
        return day.strftime("%d.%m.%Y")
    if kind == "choice":
        return spec["options"][0][0]
    if kind == "multichoice":
        return [spec["options"][0][0]]
    if kind == "yesno":
        return "ja"
    if kind == "iban":
        return DEMO_IBAN
    if kind == "email":
        return "erika.mustermann@beispiel.de"
    if kind == "phone":
        return "0211 1234567"
    return None


def answers_for(schema: dict[str, Any]) -> dict[str, Any]:
    """Flat answers (as a browser would post them) that pass the form's checks, files aside."""
    answers: dict[str, Any] = {}
    for page in schema["pages"]:
        for spec in page["fields"]:
            key = spec["key"]
            if spec["type"] == "address":
                answers.update(
                    {
                        f"{key}__street": "Musterweg 7",
                        f"{key}__postcode": "40225",
                        f"{key}__city": "Düsseldorf",
                    }
                )
            elif spec["type"] == "group":
                answers[f"{key}-rows"] = 1
                for member in spec["fields"]:
                    if member.get("required") and (value := _value(member)) is not None:
                        answers[f"{key}-0-{member['key']}"] = value
            elif spec["type"] != "file" and spec.get("required") and (value := _value(spec)):
                answers[key] = value
    return answers
