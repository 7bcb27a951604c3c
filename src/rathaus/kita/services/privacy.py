"""Kita registrations in an account's data export, what happens to them when the account is
deleted, and their anonymisation after placement plus the retention period."""

import contextlib
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.accounts.models import User
from rathaus.accounts.services.privacy import Block, DataSource, Retained, on

from ..models import AuditAttributes, Outcome, Registration

__all__ = ["DATA_SOURCE", "anonymise_due"]

ANONYMOUS = "anonymisiert"  # stored data, not a UI text


def _registrations(user: User):
    return (
        Registration.objects.filter(account=user, anonymised_at=None)
        .select_related("period", "district", "audit_attributes")
        .prefetch_related("wishes__daycare", "outcomes__round", "outcomes__daycare")
        .order_by("created_at")
    )


def export(user: User) -> list[dict]:
    return [
        {
            "period": r.period.name,
            "status": r.get_status_display(),
            "child": r.child_name,
            "birth_date": r.birth_date.isoformat(),
            "start_month": r.start_month.isoformat(),
            "hours": r.hours,
            "address": f"{r.street}, {r.postcode}",
            "district": str(r.district),
            "inclusion_needs": r.inclusion_needs,
            "parents_working": r.parents_working,
            "wishes": [w.daycare.name for w in r.wishes.all()],
            "audit_attributes": {
                name: getattr(r.audit_attributes, name)
                for name in ("nationality", "home_language", "gender")
            }
            if hasattr(r, "audit_attributes")
            else {},
            "outcomes": [
                {
                    "round": o.round.number,
                    "status": o.get_status_display(),
                    "daycare": o.daycare.name if o.daycare else None,
                }
                for o in r.outcomes.all()
            ],
            "registered_at": r.created_at.isoformat(),
        }
        for r in _registrations(user)
    ]


def readable(user: User) -> list[Block]:
    return [
        Block(
            heading=_("Kita-Anmeldung für %(name)s (%(period)s)")
            % {"name": r.child_name, "period": r.period.name},
            facts=[
                (_("Status"), r.get_status_display()),
                (_("Geburtsdatum"), on(r.birth_date)),
                (_("Betreuung ab"), r.start_month.strftime("%m/%Y")),
                (_("Betreuungsumfang"), r.get_hours_display()),
                (_("Anschrift"), f"{r.street}, {r.postcode} ({r.district})"),
                (_("Angemeldet am"), on(r.created_at)),
            ],
            lists=[(_("Wünsche"), [f"{w.rank}. {w.daycare.name}" for w in r.wishes.all()])],
        )
        for r in _registrations(user)
    ]


def _placed(user: User):
    return Registration.objects.filter(
        account=user, status=Registration.Status.ACCEPTED, anonymised_at=None
    ).select_related("period")


def retention(user: User) -> list[Retained]:
    return [
        Retained(
            what=_("Kita-Platz für %(name)s (%(period)s)")
            % {"name": r.child_name, "period": r.period.name},
            until=r.period.start + timedelta(days=r.period.retention_days),
            why=_(
                "Die Kita braucht die Anmeldung für den Betreuungsvertrag. Danach wird sie "
                "anonymisiert."
            ),
        )
        for r in _placed(user)
    ]


def on_delete(user: User) -> list[Retained]:
    """An accepted place stays (without the account) until it is anonymised; an offered
    place is declined so it goes to the next round; the rest is deleted."""
    from . import responses

    kept = retention(user)
    for outcome in Outcome.objects.filter(
        registration__account=user, status=Outcome.Status.OFFERED
    ).select_related("registration"):
        with contextlib.suppress(responses.OfferClosed):
            responses.decline(outcome)
    _placed(user).update(account=None)
    Registration.objects.filter(account=user).delete()
    return kept


def anonymise_due(now: datetime | None = None) -> int:
    """Registrations whose Kita year began more than the retention period ago lose what
    names a family: names, address, contact, the day of birth, the audit attributes.
    Status, district, birth month, hours and wishes stay for the figures."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    ids = [
        pk
        for pk, start, days in Registration.objects.filter(anonymised_at=None).values_list(
            "pk", "period__start", "period__retention_days"
        )
        if start + timedelta(days=days) < today
    ]
    with transaction.atomic():
        count = Registration.objects.filter(pk__in=ids).update(
            parent_name=ANONYMOUS,
            child_given_name=ANONYMOUS,
            child_family_name=ANONYMOUS,
            email="",
            phone="",
            street="",
            birth_date=TruncMonth("birth_date"),
            account=None,
            person=None,
            anonymised_at=now,
        )
        AuditAttributes.objects.filter(registration_id__in=ids).delete()
    return count


DATA_SOURCE = DataSource(
    key="kita",
    title=gettext_lazy("Ihre Kita-Anmeldungen"),
    export=export,
    on_delete=on_delete,
    retention=retention,
    readable=readable,
    actions={
        "kita.registered": gettext_lazy("Kind für einen Kita-Platz angemeldet"),
        "kita.changed": gettext_lazy("Kita-Anmeldung geändert"),
        "kita.withdrawn": gettext_lazy("Kita-Anmeldung zurückgezogen"),
        "kita.offer_accepted": gettext_lazy("Kita-Platz angenommen"),
        "kita.offer_declined": gettext_lazy("Kita-Platz abgelehnt"),
    },
)
