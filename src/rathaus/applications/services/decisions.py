"""The decision (Bescheid): a DIN 5008 letter as PDF with a verification code and QR code.

The letter greets the person by name, states every amount the decision sets (a grant,
or a levy such as the yearly Hundesteuer computed from the answers), and keeps the
legal remedy, the closing and the verification block together on its last page.

The code and the document's SHA-256 are stored together; ``verify`` lets anyone
check a Bescheid by its code or by the file itself. In the same transaction the
document's hash and Aktenzeichen go into the transparency log (never the resident's
name), so that anyone can check later that the city issued exactly this file.
"""

import base64
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import pypdf
import segno
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus import ledger
from rathaus.accounts.models import User
from rathaus.core import audit, pdf
from rathaus.core.locking import for_update
from rathaus.core.secrets import new_code, normalise_code
from rathaus.core.templatetags.rathaus import euro

from ..models import Application, Decision, Document, Event
from . import cases, events
from .documents import store_pdf

S = Application.Status

LEGAL_REMEDY = _(
    "Gegen diesen Bescheid können Sie innerhalb eines Monats nach Bekanntgabe Klage beim "
    "Verwaltungsgericht Düsseldorf, Bastionstraße 39, 40213 Düsseldorf, erheben. Die Klage "
    "ist schriftlich oder zur Niederschrift der Urkundsbeamtin oder des Urkundsbeamten der "
    "Geschäftsstelle zu erheben; sie kann auch elektronisch nach Maßgabe des § 55a VwGO "
    "eingereicht werden."
)

TEMPLATES = {
    Decision.Kind.APPROVAL: _("Ihrem Antrag wird in vollem Umfang entsprochen."),
    Decision.Kind.PARTIAL: _("Ihrem Antrag wird teilweise entsprochen."),
    Decision.Kind.REJECTION: _("Ihr Antrag wird abgelehnt."),
}


def verification_url(code: str) -> str:
    return settings.RATHAUS["PUBLIC_URL"] + reverse("applications:verify_code", args=[code])


def qr_data_uri(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=3)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def decide(
    application: Application,
    *,
    kind: str,
    reasoning: str,
    amount: Decimal | None,
    legal_remedy: str,
    by: User,
) -> Decision:
    """Record the decision, render the Bescheid, deliver it to the account and notify by mail."""
    with transaction.atomic():
        locked = for_update(Application.objects, guard="application-case").get(pk=application.pk)
        if locked.status not in {S.RECEIVED, S.IN_PROGRESS}:
            raise cases.CaseError(_("Dieser Antrag kann gerade nicht entschieden werden."))
        if locked.status == S.RECEIVED:
            cases.change_status(locked, S.IN_PROGRESS, by=by)
        decision = Decision.objects.create(
            application=locked,
            kind=kind,
            amount=amount,
            reasoning=reasoning,
            legal_remedy=legal_remedy,
            decided_by=by,
        )
        code = new_code()
        content = render_decision(locked, decision, code)
        document = store_pdf(locked, Document.Kind.DECISION, content, verification_code=code)
        Application.objects.filter(pk=locked.pk).update(decided_at=timezone.now())
        ledger.record(
            "bescheid",
            locked.reference,
            document.sha256,
            office=locked.office.name if locked.office else settings.RATHAUS["CITY_NAME"],
            issued_at=document.created_at,
        )
        cases.change_status(locked, S.DECIDED, by=by, comment=decision.get_kind_display())
        events.record(locked, Event.Kind.DECISION, by=by, text=decision.get_kind_display())
        audit.record(
            "rathaus.applications.decision.made",
            actor=by,
            target=locked,
            data={"kind": kind, "document_sha256": document.sha256, "code": code},
        )
        cases.notify_applicant(
            locked,
            "applications/mail/decision.txt",
            _("Ihr Bescheid zu %(reference)s liegt vor") % {"reference": locked.reference},
        )
    return decision


def render_decision(application: Application, decision: Decision, code: str) -> bytes:
    url = verification_url(code)
    recipient = recipient_of(application)
    return pdf.render(
        "applications/pdf/decision.html",
        {
            "application": application,
            "decision": decision,
            "salutation": salutation(recipient, application.cleaned.get("anrede")),
            "intro": TEMPLATES[decision.kind],
            "amounts": amounts_of(application, decision),
            "code": code,
            "verify_url": url,
            "qr": qr_data_uri(url),
            "recipient": recipient,
            "answers": application.cleaned,
            "rathaus": settings.RATHAUS,
        },
    )


@dataclass(frozen=True)
class Recipient:
    given_name: str
    family_name: str
    street: str
    place: str

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


def recipient_of(application: Application) -> Recipient | None:
    """Who the letter goes to: the person record, else the form's vorname/nachname/anschrift."""
    if application.person_id:
        person = application.person
        return Recipient(
            person.given_name,
            person.family_name,
            person.street,
            f"{person.postcode} {person.city}",
        )
    answers = application.cleaned
    given, family = (str(answers.get(key) or "").strip() for key in ("vorname", "nachname"))
    address = answers.get("anschrift") or {}
    if not given and not family and not address:
        return None
    return Recipient(
        given,
        family,
        address.get("street", ""),
        f"{address.get('postcode', '')} {address.get('city', '')}".strip(),
    )


def salutation(recipient: Recipient | None, anrede: Any = None) -> str:
    """„Sehr geehrte Frau …“ / „Sehr geehrter Herr …“ only when the form asked (answer
    ``anrede``: ``frau`` or ``herr``); otherwise gender-fair „Guten Tag Vorname Nachname“."""
    if recipient is None or not recipient.name:
        return _("Guten Tag,")
    if recipient.family_name and anrede == "frau":
        return _("Sehr geehrte Frau %(name)s,") % {"name": recipient.family_name}
    if recipient.family_name and anrede == "herr":
        return _("Sehr geehrter Herr %(name)s,") % {"name": recipient.family_name}
    return _("Guten Tag %(name)s,") % {"name": recipient.name}


@dataclass(frozen=True)
class Amounts:
    """What a Bescheid sets in money: a sentence with the total and, if computed, its lines."""

    sentence: str
    lines: list[tuple[str, Decimal]] = field(default_factory=list)


def _count(value: Any) -> int:
    try:
        return max(int(Decimal(str(value or 0))), 0)
    except (InvalidOperation, ValueError):
        return 0


# Hundesteuer per dog and year by the number of dogs in the household (1, 2, 3 or more),
# as the Hundesteuersatzung sets it (see the service's fee note in the catalogue).
DOG_TAX = (Decimal("96.00"), Decimal("150.00"), Decimal("180.00"))
DANGEROUS_DOG_TAX = (Decimal("600.00"), Decimal("900.00"), Decimal("1200.00"))


def dog_tax(answers: dict[str, Any]) -> list[tuple[str, Decimal]] | None:
    """The yearly tax for each dog registered with this form; ``None`` when a reduction was
    asked for (then the caseworker sets the amount)."""
    if answers.get("ermaessigung") == "ja":
        return None
    dogs = answers.get("hunde") or []
    already = (
        _count(answers.get("weitere_hunde_anzahl")) if answers.get("weitere_hunde") == "ja" else 0
    )
    bracket = min(len(dogs) + already, 3) - 1
    return [
        (
            _("Hundesteuer für „%(name)s“") % {"name": dog.get("hund_name") or _("Hund")},
            (DANGEROUS_DOG_TAX if dog.get("hund_gefaehrlich") == "ja" else DOG_TAX)[bracket],
        )
        for dog in dogs
    ]


@dataclass(frozen=True)
class Levy:
    """A decision that sets a payment: how the Bescheid words it and how it is computed."""

    sentence: Promise
    compute: Callable[[dict[str, Any]], list[tuple[str, Decimal]] | None]


# Services whose Bescheid sets a levy, by service slug; every other amount is a grant.
LEVIES = {
    "hundesteuer-anmelden": Levy(
        gettext_lazy("Die Hundesteuer wird auf %(amount)s im Jahr festgesetzt."), dog_tax
    ),
}
GRANT = gettext_lazy("Der bewilligte Betrag beträgt %(amount)s.")


def amounts_of(application: Application, decision: Decision) -> Amounts | None:
    """The money a decision sets: the caseworker's amount, else a levy computed from the
    answers; nothing for a rejection."""
    if decision.kind == Decision.Kind.REJECTION:
        return None
    levy = LEVIES.get(application.service.slug)
    if decision.amount is not None:
        sentence = levy.sentence if levy else GRANT
        return Amounts(str(sentence) % {"amount": euro(decision.amount)})
    lines = levy.compute(application.cleaned) if levy else None
    if not lines:
        return None
    total = sum((amount for _label, amount in lines), Decimal("0.00"))
    return Amounts(str(levy.sentence) % {"amount": euro(total)}, lines)


@dataclass(frozen=True)
class Verification:
    """What the city knows of a Bescheid: the document (if the code or file is one), whether
    a given file is exactly it, and what the transparency log says about it."""

    document: Document | None
    matches_file: bool | None
    ledger: Any = None  # ledger.standing(): in the log and checked, waiting, or absent


def _decisions():
    return Document.objects.select_related(
        "application", "application__service", "application__office"
    ).filter(kind=Document.Kind.DECISION)


def _found(document: Document | None, matches_file: bool | None) -> Verification:
    standing = ledger.standing(document.sha256) if document else None
    return Verification(document=document, matches_file=matches_file, ledger=standing)


def by_code(code: str) -> Document | None:
    """The Bescheid with this verification code (as typed: case and dashes do not matter)."""
    return _decisions().filter(verification_code=normalise_code(code)).first()


def verify(code: str, file_bytes: bytes | None = None) -> Verification:
    """Is there a Bescheid with this code, and (with a file) is the file exactly it?"""
    document = by_code(code)
    if document is None or file_bytes is None:
        return _found(document, None)
    return _found(document, hashlib.sha256(file_bytes).hexdigest() == document.sha256)


# The verification address printed on every Bescheid ends in its code.
CODE_IN_TEXT = re.compile(r"bescheid-pruefen/([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})")


def verify_file(file_bytes: bytes, code: str = "") -> Verification:
    """A file alone: the Bescheid it is, by its fingerprint; else the one whose code it
    carries (given, or read from the PDF's text) – then the file was changed."""
    document = _decisions().filter(sha256=hashlib.sha256(file_bytes).hexdigest()).first()
    if document is not None:
        return _found(document, True)
    code = code or code_in_pdf(file_bytes)
    document = by_code(code) if code else None
    return _found(document, False)


def code_in_pdf(file_bytes: bytes) -> str:
    """The verification code printed on the last page, if the file is a readable PDF."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(file_bytes))
        text = reader.pages[-1].extract_text() if reader.pages else ""
    except Exception:  # any broken or hostile file is simply not a Bescheid
        return ""
    found = CODE_IN_TEXT.search(text.replace("\n", ""))
    return found.group(1) if found else ""
