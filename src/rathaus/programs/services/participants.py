"""The people a resident books for: themself and the children they manage.

A participant is a name and a birth year, nothing more: the birth year is all the age check
of an offer needs. A child cannot be removed while it holds an active booking, because the
provider's list of participants still needs to know who comes; past bookings keep their own
copy of the name.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.models import User

from ..models import Booking, BookingParticipant, Participant

__all__ = [
    "MAX_PER_ACCOUNT",
    "ParticipantError",
    "add",
    "booked_ids",
    "for_account",
    "has_active_booking",
    "make_self",
    "owned",
    "remember_birth_year",
    "remove",
    "self_name",
    "self_participant",
    "update",
    "year_range",
]

# Families are large sometimes, but nobody manages more people than this for themself.
MAX_PER_ACCOUNT = 20
OLDEST = 110


class ParticipantError(Exception):
    """A change that is refused; ``message`` says why, in words for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def year_range() -> tuple[int, int]:
    """The birth years we accept: from 110 years ago to this year."""
    year = timezone.localdate().year
    return year - OLDEST, year


def _check_year(birth_year: int | None) -> None:
    if birth_year is None:
        return
    first, last = year_range()
    if not first <= birth_year <= last:
        raise ParticipantError(
            _("Bitte geben Sie ein Geburtsjahr zwischen %(first)s und %(last)s an.")
            % {"first": first, "last": last}
        )


def self_name(user: User) -> str:
    """How the account holder appears as a participant."""
    return user.full_name or user.email.split("@")[0]


def make_self(user: User, name: str, birth_year: int | None) -> Participant:
    """The holder's participant, made now (the database allows one per account)."""
    return Participant.objects.create(account=user, is_self=True, name=name, birth_year=birth_year)


def self_participant(user: User, birth_year: int | None = None) -> Participant:
    """The account holder as a participant (made on first use, with ``birth_year`` if given)."""
    found = Participant.objects.filter(account=user, is_self=True).first()
    if found:
        return found
    _check_year(birth_year)
    try:
        with transaction.atomic():
            return make_self(user, self_name(user), birth_year)
    except IntegrityError:  # made by a parallel request of the same person
        return Participant.objects.get(account=user, is_self=True)


def remember_birth_year(participant: Participant, birth_year: int) -> None:
    """Keep a birth year given while booking, so the next booking does not ask again."""
    _check_year(birth_year)
    if participant.birth_year != birth_year:
        Participant.objects.filter(pk=participant.pk).update(birth_year=birth_year)
        participant.birth_year = birth_year


def for_account(user: User) -> list[Participant]:
    return list(Participant.objects.filter(account=user))


def owned(user: User, pk: int) -> Participant | None:
    """``user``'s participant ``pk``, or ``None`` for anybody else's."""
    return Participant.objects.filter(account=user, pk=pk).first()


def booked_ids(user: User) -> set[int]:
    """Which of ``user``'s participants hold a place on an active booking."""
    return set(
        BookingParticipant.objects.filter(
            participant__account=user, active=True, booking__status=Booking.Status.BOOKED
        ).values_list("participant_id", flat=True)
    )


def has_active_booking(participant: Participant) -> bool:
    return BookingParticipant.objects.filter(
        participant=participant, active=True, booking__status=Booking.Status.BOOKED
    ).exists()


def _duplicate(user: User, name: str, birth_year: int | None, exclude: int | None = None) -> bool:
    same = Participant.objects.filter(
        account=user, is_self=False, name__iexact=name, birth_year=birth_year
    )
    if exclude is not None:
        same = same.exclude(pk=exclude)
    return same.exists()


def add(user: User, *, name: str, birth_year: int) -> Participant:
    """A child (or another person) ``user`` books for from now on."""
    _check_year(birth_year)
    with transaction.atomic():
        if Participant.objects.filter(account=user, is_self=False).count() >= MAX_PER_ACCOUNT:
            raise ParticipantError(
                _("Sie können höchstens %(n)s Personen verwalten. Bitte entfernen Sie zuerst eine.")
                % {"n": MAX_PER_ACCOUNT}
            )
        if _duplicate(user, name, birth_year):
            raise ParticipantError(_("Diese Person haben Sie schon angelegt."))
        return Participant.objects.create(account=user, name=name, birth_year=birth_year)


def update(participant: Participant, *, name: str, birth_year: int) -> Participant:
    """A corrected name or birth year; bookings already made keep what they were made with."""
    _check_year(birth_year)
    if not participant.is_self and _duplicate(
        participant.account, name, birth_year, exclude=participant.pk
    ):
        raise ParticipantError(_("Diese Person haben Sie schon angelegt."))
    Participant.objects.filter(pk=participant.pk).update(name=name, birth_year=birth_year)
    participant.name, participant.birth_year = name, birth_year
    return participant


def remove(participant: Participant) -> None:
    """Forget a managed person; refused for the account holder and while a booking is active."""
    if participant.is_self:
        raise ParticipantError(_("Sich selbst können Sie nicht entfernen."))
    with transaction.atomic():
        if has_active_booking(participant):
            raise ParticipantError(
                _(
                    "%(name)s ist noch für ein Angebot gebucht. Bitte stornieren Sie zuerst "
                    "diese Buchung."
                )
                % {"name": participant.name}
            )
        participant.delete()
