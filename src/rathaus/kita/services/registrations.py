"""Registering a child: once, for up to ``Period.max_wishes`` daycares in the family's
order, online until the deadline, or by staff for a family at the counter, on the phone or
from a paper form (until the first round has run: a form that arrived in time is entered
even if staff get to it after the deadline).

The rules are checked here, whoever calls; forms check the same for friendlier messages.
"""

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.core import audit, locking
from rathaus.core.channels import Channel

from ..models import AuditAttributes, Daycare, Period, Places, Registration, Wish
from . import notices

__all__ = [
    "DETAILS",
    "can_change",
    "change",
    "current_period",
    "is_open",
    "register",
    "school_age",
    "withdraw",
]

# What a registration states, as the form's fields.
DETAILS = (
    "parent_name",
    "email",
    "phone",
    "child_given_name",
    "child_family_name",
    "birth_date",
    "start_month",
    "hours",
    "street",
    "postcode",
    "district",
    "inclusion_needs",
    "parents_working",
)
AUDIT_FIELDS = ("nationality", "home_language", "gender")
SCHOOL_AGE = 6


def current_period(now: datetime | None = None) -> Period | None:
    """The period families register for now, or the latest one."""
    now = now or timezone.now()
    periods = Period.objects.order_by("-registration_opens")
    return periods.filter(registration_opens__lte=now).first() or periods.last()


def is_open(period: Period, *, staff: bool = False, now: datetime | None = None) -> bool:
    """Online until the deadline; staff until the first round has run."""
    now = now or timezone.now()
    if now < period.registration_opens:
        return False
    if staff:
        return not period.rounds.exists()
    return now < period.registration_closes


def school_age(birth_date: date, on: date) -> bool:
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    return age >= SCHOOL_AGE


def _check(period: Period, details: Mapping, wishes: Sequence[Daycare], today: date) -> None:
    errors: dict[str, list[str]] = {}
    start, birth = details["start_month"], details["birth_date"]
    if start.day != 1 or not period.start <= start <= period.last_start:
        errors.setdefault("start_month", []).append(
            _("Bitte wählen Sie einen Monat zwischen %(first)s und %(last)s.")
            % {"first": period.start.strftime("%m/%Y"), "last": period.last_start.strftime("%m/%Y")}
        )
    if birth > today:
        errors.setdefault("birth_date", []).append(
            _(
                "Das Geburtsdatum liegt in der Zukunft. Bitte melden Sie Ihr Kind nach der "
                "Geburt an."
            )
        )
    elif school_age(birth, start):
        errors.setdefault("birth_date", []).append(
            _("Ihr Kind ist zum gewünschten Beginn schon im Schulalter.")
        )
    if not wishes:
        errors.setdefault("wishes", []).append(_("Bitte nennen Sie mindestens eine Kita."))
    elif len(wishes) > period.max_wishes:
        errors.setdefault("wishes", []).append(
            _("Bitte nennen Sie höchstens %(count)d Kitas.") % {"count": period.max_wishes}
        )
    elif len({d.pk for d in wishes}) != len(wishes):
        errors.setdefault("wishes", []).append(_("Jede Kita bitte nur einmal nennen."))
    else:
        offering = set(
            Places.objects.filter(period=period, daycare__in=wishes, places__gt=0).values_list(
                "daycare_id", flat=True
            )
        )
        if missing := [d.name for d in wishes if d.pk not in offering]:
            errors.setdefault("wishes", []).append(
                _("Diese Kitas vergeben im %(period)s keine Plätze: %(names)s.")
                % {"period": period.name, "names": ", ".join(missing)}
            )
    if errors:
        raise ValidationError(errors)


def _duplicate(period: Period, details: Mapping, account, person, exclude: int | None) -> bool:
    same = Registration.objects.filter(
        period=period,
        birth_date=details["birth_date"],
        child_given_name__iexact=details["child_given_name"].strip(),
    ).exclude(status=Registration.Status.WITHDRAWN)
    if account is not None:
        same = same.filter(account=account)
    elif person is not None:
        same = same.filter(person=person)
    else:
        same = same.filter(
            account=None, person=None, child_family_name__iexact=details["child_family_name"]
        )
    return same.exclude(pk=exclude).exists()


def _lock(period_id: int) -> Period:
    """Registering, changing and withdrawing wait for a round that is running (it holds
    the period's row), so a round never works from a list that changes under it."""
    return locking.for_update(Period.objects, guard="kita.round").get(pk=period_id)


def _save(registration: Registration, wishes, siblings, audit_attributes) -> None:
    registration.wishes.all().delete()
    Wish.objects.bulk_create(
        Wish(registration=registration, rank=n, daycare=daycare)
        for n, daycare in enumerate(wishes, 1)
    )
    registration.sibling_daycares.set(siblings)
    given = {k: v for k, v in (audit_attributes or {}).items() if k in AUDIT_FIELDS and v}
    if given:
        AuditAttributes.objects.update_or_create(registration=registration, defaults=given)
    else:
        AuditAttributes.objects.filter(registration=registration).delete()


def register(
    period: Period,
    details: Mapping,
    wishes: Sequence[Daycare],
    siblings: Sequence[Daycare] = (),
    *,
    account=None,
    person=None,
    channel: str = Channel.ONLINE,
    entered_by=None,
    audit_attributes: Mapping | None = None,
    now: datetime | None = None,
) -> Registration:
    """Register a child; ``ValidationError`` (German, by field) when a rule is broken."""
    now = now or timezone.now()
    staff = entered_by is not None
    if not is_open(period, staff=staff, now=now):
        raise ValidationError(
            _("Für das %(period)s ist keine Anmeldung mehr möglich.") % {"period": period.name}
        )
    _check(period, details, wishes, timezone.localdate(now))
    with transaction.atomic():
        period = _lock(period.pk)
        if not is_open(period, staff=staff, now=now):
            raise ValidationError(_("Die erste Vergaberunde ist gerade gelaufen."))
        if _duplicate(period, details, account, person, None):
            raise ValidationError(
                _(
                    "%(name)s ist für das %(period)s schon angemeldet. Sie können die Anmeldung "
                    "ändern."
                )
                % {"name": details["child_given_name"], "period": period.name}
            )
        registration = Registration.objects.create(
            period=period,
            account=account,
            person=person,
            channel=channel,
            entered_by=entered_by,
            **{name: details[name] for name in DETAILS},
        )
        _save(registration, wishes, siblings, audit_attributes)
        audit.record(
            "kita.registered",
            actor=entered_by or account,
            target=registration,
            data={"channel": channel, "wishes": len(wishes)},
        )
        notices.registered(registration)
    return registration


def can_change(registration: Registration, *, staff: bool = False, now=None) -> bool:
    return registration.status == Registration.Status.SUBMITTED and is_open(
        registration.period, staff=staff, now=now
    )


def change(
    registration: Registration,
    details: Mapping,
    wishes: Sequence[Daycare],
    siblings: Sequence[Daycare] = (),
    *,
    by=None,
    staff: bool = False,
    audit_attributes: Mapping | None = None,
    now: datetime | None = None,
) -> Registration:
    """Change a registration until the deadline (staff: until the first round)."""
    now = now or timezone.now()
    if not can_change(registration, staff=staff, now=now):
        raise ValidationError(_("Diese Anmeldung kann nicht mehr geändert werden."))
    _check(registration.period, details, wishes, timezone.localdate(now))
    with transaction.atomic():
        _lock(registration.period_id)
        locked = locking.for_update(Registration.objects, guard="kita.round").get(
            pk=registration.pk
        )
        if not can_change(locked, staff=staff, now=now):
            raise ValidationError(_("Diese Anmeldung kann nicht mehr geändert werden."))
        if _duplicate(locked.period, details, locked.account, locked.person, locked.pk):
            raise ValidationError(_("Dieses Kind ist schon ein zweites Mal angemeldet."))
        for name in DETAILS:
            setattr(locked, name, details[name])
        locked.save()
        _save(locked, wishes, siblings, audit_attributes)
        audit.record("kita.changed", actor=by, target=locked)
        notices.registered(locked, changed=True)
    return locked


def withdraw(registration: Registration, *, by=None, now: datetime | None = None) -> Registration:
    """Withdraw a registration that holds no offered or accepted place."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock(registration.period_id)
        changed = Registration.objects.filter(
            pk=registration.pk,
            status__in=(Registration.Status.SUBMITTED, Registration.Status.WAITING),
        ).update(status=Registration.Status.WITHDRAWN, updated_at=now)
        if not changed:
            raise ValidationError(
                _(
                    "Diese Anmeldung kann nicht zurückgezogen werden. Ein angebotener Platz wird "
                    "abgelehnt, ein angenommener bei der Kita gekündigt."
                )
            )
        registration.refresh_from_db()
        audit.record("kita.withdrawn", actor=by, target=registration)
        notices.withdrawn(registration)
    return registration
