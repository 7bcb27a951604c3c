"""What the accounts module holds about a person, for the data export and account deletion."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from rathaus.core.models import AuditEntry

from .models import Representation, User
from .services import access_log
from .services.privacy import DataSource, Retained, register


def _iso(value) -> str | None:
    return value.isoformat() if value else None


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
                "started_at": _iso(r.started_at),
                "ended_at": _iso(r.ended_at),
            }
            for r in Representation.objects.filter(
                subject_id__in=access_log.subject_ids(user)
            ).select_related("staff", "office")
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
        "own_actions": [
            {"at": _iso(e.created_at), "action": e.action}
            for e in AuditEntry.objects.filter(actor=user).order_by("created_at")
        ],
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


def register_all() -> None:
    register(
        DataSource(
            key="account",
            title=_("Ihr Konto"),
            export=export_account,
            on_delete=delete_account_data,
            retention=_retention,
        )
    )
