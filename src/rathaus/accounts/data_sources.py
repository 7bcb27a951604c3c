"""What the accounts module holds about a person, for the data export and account deletion.

Registered like every module's: ``privacy.register(DATA_SOURCE)`` in ``AccountsConfig.ready``.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.core.models import AuditEntry

from .models import Representation, User
from .services import access_log
from .services.privacy import Block, DataSource, Retained, action_label, on


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _representations(user: User):
    return Representation.objects.filter(
        subject_id__in=access_log.subject_ids(user)
    ).select_related("staff", "office")


def _own_actions(user: User):
    return AuditEntry.objects.filter(actor=user).order_by("created_at")


def export_account(user: User) -> dict:
    person = getattr(user, "person", None)
    return {
        "account": {
            "id": str(user.public_id),
            "email": user.email,
            "email_confirmed_at": _iso(user.email_confirmed_at),
            "created_at": _iso(user.created_at),
            "last_login": _iso(user.last_login),
        },
        "passkeys": [
            {
                "name": p.name,
                "created_at": _iso(p.created_at),
                "last_used_at": _iso(p.last_used_at),
                "credential_id": p.credential_id,
                "authenticator_model_aaguid": p.aaguid,
                "transports": p.transports,
                "synced": p.backed_up,
                "flagged_as_possible_copy_at": _iso(p.flagged_at),
            }
            for p in user.passkeys.all()
        ],
        "recovery_codes": {
            "total": user.recovery_codes.count(),
            "unused": user.recovery_codes.filter(used_at__isnull=True).count(),
            "note": "Die Codes selbst speichern wir nicht, nur einen Prüfwert.",
        },
        "counter_record": None
        if person is None
        else {
            "given_name": person.given_name,
            "family_name": person.family_name,
            "birth_date": _iso(person.birth_date),
            "street": person.street,
            "postcode": person.postcode,
            "city": person.city,
            "phone": person.phone,
            "email": person.email,
            "recorded_for": person.purpose,
            "recorded_by_office": person.office.name,
            "recorded_at": _iso(person.created_at),
        },
        "representations": [
            {
                "by": r.staff.audit_label,
                "office": r.office.name,
                "consent": r.get_consent_display(),
                "channel": r.get_channel_display(),
                "purpose": r.purpose,
                "started_at": _iso(r.started_at),
                "expires_at": _iso(r.expires_at),
                "ended_at": _iso(r.ended_at),
                "ended_by": r.ended_by,
            }
            for r in _representations(user)
        ],
        "staff_access_log": [
            {
                "at": _iso(e.accessed_at),
                "by": e.staff_label,
                "office": e.office_label,
                "record": e.record_type,
                "purpose": e.purpose,
            }
            for e in access_log.entries_for(user)
        ],
        "own_actions": [{"at": _iso(e.created_at), "action": e.action} for e in _own_actions(user)],
    }


def _yes_no(value: bool) -> str:
    return _("ja") if value else _("nein")


def readable_account(user: User) -> list[Block]:
    """The account's data in words, as the readable export and its PDF show it."""
    codes = user.recovery_codes
    blocks = [
        Block(
            heading=_("Ihr Konto"),
            facts=[
                (_("E-Mail-Adresse"), user.email),
                (_("E-Mail bestätigt am"), on(user.email_confirmed_at)),
                (_("Konto seit"), on(user.created_at)),
                (_("Zuletzt angemeldet"), on(user.last_login, time=True)),
                (
                    _("Wiederherstellungscodes"),
                    _("%(unused)s von %(total)s unbenutzt")
                    % {
                        "unused": codes.filter(used_at__isnull=True).count(),
                        "total": codes.count(),
                    },
                ),
            ],
            lists=[
                (
                    _("Passkeys"),
                    [
                        _(
                            "%(name)s – angelegt am %(created)s, zuletzt benutzt: %(used)s, "
                            "synchronisiert: %(synced)s"
                        )
                        % {
                            "name": p.name,
                            "created": on(p.created_at),
                            "used": on(p.last_used_at),
                            "synced": _yes_no(p.backed_up),
                        }
                        for p in user.passkeys.all()
                    ],
                )
            ],
        )
    ]
    person = getattr(user, "person", None)
    if person is not None:
        blocks.append(
            Block(
                heading=_("Erfasst im Bürgerbüro"),
                facts=[
                    (_("Name"), f"{person.given_name} {person.family_name}"),
                    (_("Geburtsdatum"), on(person.birth_date)),
                    (
                        _("Anschrift"),
                        f"{person.street}, {person.postcode} {person.city}".strip(", "),
                    ),
                    (_("Telefon"), person.phone or "–"),
                    (_("E-Mail-Adresse"), person.email or "–"),
                    (_("Wofür erfasst"), person.purpose),
                    (_("Erfasst von"), f"{person.office.name}, {on(person.created_at)}"),
                ],
            )
        )
    blocks.append(
        Block(
            heading=_("Verwaltung"),
            lists=[
                (
                    _("Vertretungen"),
                    [
                        _(
                            "%(at)s – %(by)s, %(office)s: %(channel)s, %(consent)s; Anlass: "
                            "%(purpose)s; %(state)s"
                        )
                        % {
                            "at": on(r.started_at, time=True),
                            "by": r.staff.audit_label,
                            "office": r.office.name,
                            "channel": r.get_channel_display(),
                            "consent": r.get_consent_display(),
                            "purpose": r.purpose or "–",
                            "state": _("beendet am %(at)s") % {"at": on(r.ended_at, time=True)}
                            if r.ended_at
                            else _("längstens bis %(at)s") % {"at": on(r.expires_at, time=True)},
                        }
                        for r in _representations(user)
                    ],
                ),
                (
                    _("Zugriffe der Verwaltung"),
                    [
                        _("%(at)s – %(by)s, %(office)s: %(record)s (%(purpose)s)")
                        % {
                            "at": on(e.accessed_at, time=True),
                            "by": e.staff_label,
                            "office": e.office_label or "–",
                            "record": e.record_type,
                            "purpose": e.purpose,
                        }
                        for e in access_log.entries_for(user)
                    ],
                ),
            ],
        )
    )
    blocks.append(
        Block(
            heading=_("Ihre Aktionen"),
            lists=[
                (
                    _("Was Sie im Digitalen Rathaus getan haben"),
                    [
                        f"{on(e.created_at, time=True)} – {action_label(e.action)}"
                        for e in _own_actions(user)
                    ],
                )
            ],
        )
    )
    return blocks


ACTIONS = {
    "rathaus.accounts.account.created": gettext_lazy("Konto erstellt"),
    "rathaus.accounts.account.created_from_letter": gettext_lazy(
        "Konto mit einem Zugangscode-Brief erstellt"
    ),
    "rathaus.accounts.signed_in.passkey": gettext_lazy("Mit Passkey angemeldet"),
    "rathaus.accounts.signed_in.recovery_code": gettext_lazy(
        "Mit Wiederherstellungscode angemeldet"
    ),
    "rathaus.accounts.step_up": gettext_lazy("Mit Passkey bestätigt"),
    "rathaus.accounts.passkey.added": gettext_lazy("Passkey hinzugefügt"),
    "rathaus.accounts.passkey.removed": gettext_lazy("Passkey entfernt"),
    "rathaus.accounts.recovery_codes.created": gettext_lazy("Neue Wiederherstellungscodes erzeugt"),
    "rathaus.accounts.recovery_code.used": gettext_lazy("Wiederherstellungscode benutzt"),
    "rathaus.accounts.email.changed": gettext_lazy("E-Mail-Adresse geändert"),
    "rathaus.accounts.representation.ended_by_holder": gettext_lazy("Vertretung beendet"),
    "rathaus.accounts.staff.enrolled": gettext_lazy("Dienst-Passkey eingerichtet"),
}


def _retention(user: User) -> list[Retained]:
    kept = []
    days = timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    last_access = access_log.entries_for(user).aggregate(last=Max("accessed_at"))["last"]
    if last_access:
        kept.append(
            Retained(
                what=str(_("Zugriffsprotokoll: wer in der Verwaltung wann Ihre Daten ansah")),
                until=(last_access + days).date(),
                why=str(_("Nachweis der Datenverarbeitung (Art. 5 Abs. 2 DSGVO), pseudonymisiert")),
            )
        )
    last_representation = Representation.objects.filter(
        subject_id__in=access_log.subject_ids(user)
    ).aggregate(last=Max("started_at"))["last"]
    if last_representation:
        kept.append(
            Retained(
                what=str(_("Nachweise, wann Mitarbeitende in Ihrem Auftrag gehandelt haben")),
                until=(last_representation + days).date(),
                why=str(_("Nachvollziehbarkeit von Verwaltungshandeln, pseudonymisiert")),
            )
        )
    return kept


def delete_account_data(user: User) -> list[Retained]:
    """Passkeys, codes and tokens go with the account (cascade); the counter record goes too."""
    kept = _retention(user)
    person = getattr(user, "person", None)
    if person is not None:
        person.delete()
    return kept


DATA_SOURCE = DataSource(
    key="account",
    title=gettext_lazy("Ihr Konto"),
    export=export_account,
    on_delete=delete_account_data,
    retention=_retention,
    readable=readable_account,
    actions=ACTIONS,
)
