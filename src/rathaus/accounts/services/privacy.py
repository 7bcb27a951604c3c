"""Residents' rights over their data (GDPR Art. 15, 16, 17, 20): see it, take it, correct it,
delete it.

One way to take part: every module that keeps personal data of an account defines one
``DATA_SOURCE = DataSource(...)`` and registers it in its ``AppConfig.ready`` with
``privacy.register(DATA_SOURCE)``: what to export (machine-readable, for JSON), the same
for people (``readable``: German labels, dates as 26.11.2026, statuses in words), the
German names of its audit actions, and what to do on deletion — delete, or pseudonymise
and report what a law requires to keep and until when.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from rathaus.core import audit, mail

from ..models import Token, User
from . import tokens

__all__ = [
    "Block",
    "DataSource",
    "Retained",
    "action_label",
    "confirm_email_change",
    "delete_account",
    "export_data",
    "on",
    "readable_export",
    "register",
    "retained_on_deletion",
    "sources",
    "start_email_change",
]


@dataclass(frozen=True)
class Retained:
    """Something kept after the account is deleted, because a law or a legitimate need says so."""

    what: str
    until: date | None
    why: str


@dataclass(frozen=True)
class Block:
    """One part of the readable export: a heading, facts (label, value) and titled lists,
    all already in German words."""

    heading: str
    facts: Sequence[tuple[str, str]] = ()
    lists: Sequence[tuple[str, Sequence[str]]] = ()


@dataclass(frozen=True)
class DataSource:
    key: str
    title: str
    export: Callable[[User], Any]
    # Deletes or pseudonymises; returns what stays (runs before the account row goes).
    on_delete: Callable[[User], list[Retained]]
    # What would stay, without changing anything (shown before the person decides).
    retention: Callable[[User], list[Retained]]
    # The export for people: the readable page and the PDF.
    readable: Callable[[User], list[Block]]
    # Audit action → what the person did, in German ("Antrag eingereicht").
    actions: Mapping[str, str] = field(default_factory=dict)


_sources: dict[str, DataSource] = {}


def register(source: DataSource) -> None:
    _sources[source.key] = source


def sources() -> list[DataSource]:
    return list(_sources.values())


def on(value: date | datetime | None, *, time: bool = False) -> str:
    """A date as people read it here: 26.11.2026 (with time: 26.11.2026, 14:05 Uhr)."""
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = timezone.localtime(value)
        if time:
            return _("%(day)s, %(time)s Uhr") % {
                "day": formats.date_format(value, "d.m.Y"),
                "time": formats.time_format(value, "H:i"),
            }
    return formats.date_format(value, "d.m.Y")


def action_label(action: str) -> str:
    """What an audit action means for the person; any module's, or a neutral phrase."""
    for source in sources():
        if action in source.actions:
            return str(source.actions[action])
    return _("Sonstige Aktion im Digitalen Rathaus")


def export_data(user: User) -> dict[str, Any]:
    """All personal data held about ``user``, machine-readable (Art. 15 and 20 GDPR)."""
    return {
        "format": "rathaus-datenauskunft/1",
        "exported_at": timezone.now().isoformat(),
        "account_id": str(user.public_id),
        "sections": [
            {"key": source.key, "title": str(source.title), "data": source.export(user)}
            for source in sources()
        ],
    }


def readable_export(user: User) -> list[dict[str, Any]]:
    """The same data for people to read (page and PDF): sections of ``Block``s."""
    return [
        {"key": source.key, "title": str(source.title), "blocks": source.readable(user)}
        for source in sources()
    ]


def retained_on_deletion(user: User) -> list[Retained]:
    return [item for source in sources() for item in source.retention(user)]


def delete_account(user: User) -> list[Retained]:
    """Delete the account; what must be kept stays pseudonymised. Returns what was kept."""
    with transaction.atomic():
        kept = [item for source in sources() for item in source.on_delete(user)]
        audit.record(
            "rathaus.accounts.account.deleted",
            target=user,
            data={"retained": [{**asdict(k), "until": str(k.until)} for k in kept]},
        )
        email = user.email
        user.delete()
        body = render_to_string("accounts/mail/account_deleted.txt", {"kept": kept})
        mail.send_after_commit(subject=_("Ihr Konto wurde gelöscht"), body=body, to=[email])
    return kept


def start_email_change(user: User, new_email: str, *, link: Callable[[str], str]) -> None:
    """Confirm the new address by a link sent to it; tell the old address."""
    new_email = new_email.strip().lower()
    raw = tokens.issue(Token.Purpose.EMAIL_CHANGE, email=new_email, user=user)
    mail.send_after_commit(
        subject=_("Bitte bestätigen Sie Ihre neue E-Mail-Adresse"),
        body=render_to_string("accounts/mail/email_change.txt", {"link": link(raw)}),
        to=[new_email],
    )
    mail.send_after_commit(
        subject=_("Ihre E-Mail-Adresse soll geändert werden"),
        body=render_to_string("accounts/mail/email_change_notice.txt", {"new_email": new_email}),
        to=[user.email],
    )


def confirm_email_change(raw: str) -> User | None:
    """Apply the change if the link is valid; ``None`` if not (or the address is taken)."""
    token = tokens.find(raw, Token.Purpose.EMAIL_CHANGE)
    if token is None or token.user is None:
        return None
    user = token.user
    before = user.email
    try:
        with transaction.atomic():
            if not tokens.use(token):
                return None
            user.email = token.email
            user.email_confirmed_at = timezone.now()
            user.save(update_fields=["email", "email_confirmed_at"])
    except IntegrityError:
        return None
    audit.record(
        "rathaus.accounts.email.changed",
        actor=user,
        target=user,
        changes={"email": ["(alte Adresse)", "(neue Adresse)"]} if before != user.email else {},
    )
    return user
