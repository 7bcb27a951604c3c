"""The decision (Bescheid): a DIN 5008 letter as PDF with a verification code and QR code.

The code and the document's SHA-256 are stored together; ``verify`` lets anyone
check a Bescheid by its code (and, given the file, that it is unchanged). The
transparency ledger will anchor the same pair.
"""

import base64
import hashlib
from dataclasses import dataclass
from decimal import Decimal

import segno
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.models import User
from rathaus.core import audit, pdf
from rathaus.core.secrets import new_code, normalise_code

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
        locked = Application.objects.select_for_update().get(pk=application.pk)
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
    return pdf.render(
        "applications/pdf/decision.html",
        {
            "application": application,
            "decision": decision,
            "intro": TEMPLATES[decision.kind],
            "code": code,
            "verify_url": url,
            "qr": qr_data_uri(url),
            "recipient": recipient_of(application),
            "answers": application.cleaned,
            "rathaus": settings.RATHAUS,
        },
    )


@dataclass(frozen=True)
class Recipient:
    name: str
    street: str
    place: str


def recipient_of(application: Application) -> Recipient | None:
    """Who the letter goes to: the person record, else the form's vorname/nachname/anschrift."""
    if application.person_id:
        person = application.person
        return Recipient(
            f"{person.given_name} {person.family_name}",
            person.street,
            f"{person.postcode} {person.city}",
        )
    answers = application.cleaned
    name = " ".join(str(answers.get(k) or "") for k in ("vorname", "nachname")).strip()
    address = answers.get("anschrift") or {}
    if not name and not address:
        return None
    return Recipient(
        name,
        address.get("street", ""),
        f"{address.get('postcode', '')} {address.get('city', '')}".strip(),
    )


@dataclass(frozen=True)
class Verification:
    document: Document | None
    matches_file: bool | None


def verify(code: str, file_bytes: bytes | None = None) -> Verification:
    """Is there a Bescheid with this code, and (with a file) is the file exactly it?"""
    document = (
        Document.objects.select_related("application", "application__service")
        .filter(verification_code=normalise_code(code), kind=Document.Kind.DECISION)
        .first()
    )
    if document is None or file_bytes is None:
        return Verification(document=document, matches_file=None)
    return Verification(
        document=document, matches_file=hashlib.sha256(file_bytes).hexdigest() == document.sha256
    )
