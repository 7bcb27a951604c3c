"""Appointments at Bürgerbüros: counters, which services an office books for how long, the
rules of the booking (horizon, lead time, release), the appointments themselves, and the
waiting room.

Time inside a day is counted in units of five minutes from local midnight (wall clock):
unit 96 is 08:00 on every day, on the days of the change to and from summer time too.
A ``CounterDay`` is one counter on one date; its row is the lock every booking of that
counter and date takes, and it caches which units are still free so the search across
hundreds of offices reads one short row per counter and day.
"""

import uuid
from datetime import time

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rathaus.catalog.models import Service
from rathaus.core import channels
from rathaus.core.channels import Channel
from rathaus.core.secrets import new_code
from rathaus.offices.models import Office

UNIT_MINUTES = 5
UNITS_PER_DAY = 24 * 60 // UNIT_MINUTES


def unit_label(unit: int) -> str:
    """``96`` → ``08:00``."""
    minutes = unit * UNIT_MINUTES
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def new_booking_code() -> str:
    """Six characters without 0/O or 1/I/L, so a code read out on the phone is understood."""
    return new_code(groups=1, size=6)


class BookingRules(models.Model):
    """How an office gives out appointments; published on the policy page."""

    office = models.OneToOneField(
        Office,
        on_delete=models.CASCADE,
        related_name="booking_rules",
        verbose_name=_("Dienststelle"),
    )
    online_booking = models.BooleanField(_("Online buchbar"), default=True)
    step_minutes = models.PositiveSmallIntegerField(
        _("Raster der Anfangszeiten (Minuten)"),
        default=10,
        help_text=_("Termine beginnen zu vollen Vielfachen dieses Werts (5, 10, 15, …)."),
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        _("Puffer nach jedem Termin (Minuten)"), default=0
    )
    horizon_days = models.PositiveSmallIntegerField(
        _("Buchungshorizont (Tage)"), default=56, help_text=_("Wie weit im Voraus gebucht wird.")
    )
    lead_hours = models.PositiveSmallIntegerField(
        _("Mindestvorlauf (Stunden)"), default=2, help_text=_("Frühester Termin ab jetzt.")
    )
    release_time = models.TimeField(
        _("Freischaltung neuer Tage um"),
        default=time(7, 0),
        help_text=_("Täglich zu dieser Uhrzeit wird der nächste Tag am Ende des Horizonts frei."),
    )
    return_delay_minutes = models.PositiveSmallIntegerField(
        _("Sperrfrist abgesagter Termine (Minuten)"),
        default=120,
        help_text=_("So lange bleibt ein abgesagter Termin gesperrt, bevor er wieder frei wird."),
    )

    class Meta:
        verbose_name = _("Terminvergabe einer Dienststelle")
        verbose_name_plural = _("Terminvergabe der Dienststellen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(step_minutes__gte=UNIT_MINUTES, step_minutes__lte=60),
                name="booking_rules_step_range",
            ),
            models.CheckConstraint(
                condition=models.Q(horizon_days__gte=1, horizon_days__lte=366),
                name="booking_rules_horizon_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.office)

    @property
    def step_units(self) -> int:
        return max(1, self.step_minutes // UNIT_MINUTES)

    @property
    def buffer_units(self) -> int:
        return -(-self.buffer_minutes // UNIT_MINUTES)


class Counter(models.Model):
    """A Schalter or Arbeitsplatz: one appointment at a time."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="counters")
    number = models.PositiveSmallIntegerField(_("Nummer"))
    name = models.CharField(_("Bezeichnung"), max_length=100, blank=True)
    is_active = models.BooleanField(_("In Betrieb"), default=True)

    class Meta:
        verbose_name = _("Schalter")
        verbose_name_plural = _("Schalter")
        ordering = ["office", "number"]
        constraints = [
            models.UniqueConstraint(fields=["office", "number"], name="unique_counter_number")
        ]

    def __str__(self) -> str:
        return self.name or _("Schalter %(number)s") % {"number": self.number}


class OfficeService(models.Model):
    """A service an office books appointments for, and how long it takes per person there."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="bookable_services")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="bookable_at")
    minutes_per_person = models.PositiveSmallIntegerField(_("Dauer je Person (Minuten)"))
    max_persons = models.PositiveSmallIntegerField(_("Höchstens Personen je Termin"), default=5)
    is_active = models.BooleanField(_("Buchbar"), default=True)

    class Meta:
        verbose_name = _("Buchbare Leistung")
        verbose_name_plural = _("Buchbare Leistungen")
        ordering = ["office", "service__title"]
        constraints = [
            models.UniqueConstraint(fields=["office", "service"], name="unique_office_service"),
            models.CheckConstraint(
                condition=models.Q(minutes_per_person__gte=UNIT_MINUTES),
                name="office_service_minutes_min",
            ),
        ]
        indexes = [models.Index(fields=["service", "office"], name="office_service_by_service")]

    def __str__(self) -> str:
        return f"{self.service} – {self.office} ({self.minutes_per_person} min)"


class OpeningException(models.Model):
    """A day that differs from the weekly hours: closed (all day or some hours) or extra hours."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="opening_exceptions")
    day = models.DateField(_("Datum"))
    is_open = models.BooleanField(
        _("Zusätzlich geöffnet"),
        default=False,
        help_text=_("Angekreuzt: zusätzliche Öffnungszeit. Sonst: geschlossen."),
    )
    opens = models.TimeField(_("von"), null=True, blank=True)
    closes = models.TimeField(_("bis"), null=True, blank=True)
    reason = models.CharField(_("Grund"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("Abweichende Öffnungszeit")
        verbose_name_plural = _("Abweichende Öffnungszeiten")
        ordering = ["day", "opens"]
        indexes = [models.Index(fields=["office", "day"], name="opening_exception_day")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(opens__isnull=True, closes__isnull=True, is_open=False)
                    | models.Q(opens__lt=models.F("closes"))
                ),
                name="opening_exception_times",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day:%d.%m.%Y}: {self.reason}"


class CounterDay(models.Model):
    """One counter on one date: the lock of every booking there, and its free units (cache).

    ``free`` is a hexadecimal bit mask (bit n = unit n is open and not taken); ``longest_run``
    the longest stretch of free units. Both are rewritten under the row lock from the
    appointments and blocks of the day, and refreshed when a hold expires or a returned
    slot becomes free again, so the search never offers a taken time. A counter out of
    service has no free units.
    """

    counter = models.ForeignKey(Counter, on_delete=models.CASCADE, related_name="days")
    # The counter's office, repeated so the search across offices needs no join.
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    free = models.CharField(max_length=UNITS_PER_DAY // 4, default="0")
    longest_run = models.PositiveSmallIntegerField(default=0, db_index=True)
    # When the cache may free up by itself (a hold expiring, a returned slot); null = never.
    changes_at = models.DateTimeField(null=True, blank=True, db_index=True)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["counter", "day"], name="unique_counter_day")
        ]
        indexes = [models.Index(fields=["office", "day", "longest_run"], name="counter_day_search")]

    def __str__(self) -> str:
        return f"{self.counter_id} {self.day:%d.%m.%Y}"


class Appointment(models.Model):
    """A booked time at one counter. Name and contact cannot be changed after booking."""

    class Status(models.TextChoices):
        HELD = "held", _("Wartet auf Bestätigung")
        BOOKED = "booked", _("Gebucht")
        ARRIVED = "arrived", _("Angekommen")
        DONE = "done", _("Erledigt")
        NO_SHOW = "no_show", _("Nicht erschienen")
        CANCELLED = "cancelled", _("Abgesagt")
        EXPIRED = "expired", _("Nicht bestätigt")

    # States in which the appointment holds its time (a hold only until it expires).
    OCCUPYING = (Status.HELD, Status.BOOKED, Status.ARRIVED, Status.DONE, Status.NO_SHOW)
    OPEN = (Status.HELD, Status.BOOKED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("Buchungscode"), max_length=8, unique=True, default=new_booking_code)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="appointments")
    counter = models.ForeignKey(Counter, on_delete=models.PROTECT, related_name="appointments")
    day = models.DateField(_("Datum"))
    start_unit = models.PositiveSmallIntegerField()
    # Units the appointment keeps the counter busy, its buffer included.
    end_unit = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField(_("Beginn"), db_index=True)
    ends_at = models.DateTimeField(_("Ende"))
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.HELD, db_index=True
    )
    channel = models.CharField(
        _("Gebucht über"),
        max_length=10,
        choices=channels.choices(Channel.ONLINE, Channel.PHONE, Channel.COUNTER),
        default=Channel.ONLINE,
    )
    name = models.CharField(_("Name"), max_length=150)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=30, blank=True)
    # A keyed digest of the e-mail address or phone number: the limits per person count it.
    contact_key = models.CharField(max_length=64, db_index=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Gebucht von (Mitarbeitende)"),
    )
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    confirm_digest = models.CharField(max_length=64, blank=True, db_index=True)
    sequence = models.PositiveSmallIntegerField(default=0)  # of the .ics invitation
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Termin")
        verbose_name_plural = _("Termine")
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["counter", "day"], name="appointment_counter_day"),
            models.Index(fields=["office", "day", "start_unit"], name="appointment_office_day"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_unit__lt=models.F("end_unit"))
                & models.Q(end_unit__lte=UNITS_PER_DAY),
                name="appointment_units_ordered",
            ),
            models.CheckConstraint(
                condition=~models.Q(email="", phone="") | models.Q(anonymised_at__isnull=False),
                name="appointment_has_contact",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.starts_at:%d.%m.%Y %H:%M}"


class AppointmentService(models.Model):
    """One service of an appointment, for how many persons."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="items")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    persons = models.PositiveSmallIntegerField(default=1)
    minutes = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "service"], name="unique_appointment_service"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} × {self.persons}"


class Block(models.Model):
    """Time a counter is not bookable: blocked by staff, or a cancelled slot in its waiting
    period before it returns to the pool (``until``)."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("Gesperrt")
        RETURNING = "returning", _("Abgesagt, Sperrfrist")

    counter = models.ForeignKey(Counter, on_delete=models.CASCADE, related_name="blocks")
    day = models.DateField()
    start_unit = models.PositiveSmallIntegerField()
    end_unit = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.STAFF)
    until = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("Grund"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Sperrzeit")
        verbose_name_plural = _("Sperrzeiten")
        indexes = [models.Index(fields=["counter", "day"], name="block_counter_day")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_unit__lt=models.F("end_unit"))
                & models.Q(end_unit__lte=UNITS_PER_DAY),
                name="block_units_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.day:%d.%m.%Y} {self.time_range}"

    @property
    def time_range(self) -> str:
        return f"{unit_label(self.start_unit)}–{unit_label(self.end_unit)}"


class BookingContact(models.Model):
    """One row per e-mail address or phone number (as keyed digest): its bookings lock it, so
    the limits per person hold under parallel requests too."""

    key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key[:12]


class UsedChallenge(models.Model):
    """A solved proof-of-work challenge, kept until it expires: accepted once, on any server
    (the unique key decides, not a per-process cache)."""

    challenge = models.CharField(max_length=128, unique=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.challenge[:12]


class QueueTicket(models.Model):
    """A number in the waiting room: A-… for appointments, W-… for people without one."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Wartet")
        CALLED = "called", _("Aufgerufen")
        DONE = "done", _("Erledigt")
        GONE = "gone", _("Nicht erschienen")

    class Prefix(models.TextChoices):
        APPOINTMENT = "A", _("Mit Termin")
        WALK_IN = "W", _("Ohne Termin")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="queue_tickets")
    day = models.DateField()
    prefix = models.CharField(max_length=1, choices=Prefix.choices)
    number = models.PositiveSmallIntegerField()
    appointment = models.OneToOneField(
        Appointment, null=True, blank=True, on_delete=models.SET_NULL, related_name="ticket"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    counter = models.ForeignKey(
        Counter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("Anliegen"), max_length=200, blank=True)
    arrived_at = models.DateTimeField(auto_now_add=True)
    called_at = models.DateTimeField(null=True, blank=True)
    calls = models.PositiveSmallIntegerField(default=0)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("Wartenummer")
        verbose_name_plural = _("Wartenummern")
        ordering = ["arrived_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "day", "prefix", "number"], name="unique_queue_number"
            )
        ]
        indexes = [models.Index(fields=["office", "day", "status"], name="queue_ticket_waiting")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.prefix}-{self.number:03d}"


class LeadTimeSample(models.Model):
    """How far ahead the earliest free appointment of an office was, sampled once a day: the
    open-data figure "median waiting time for an appointment" is computed from these."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    sampled_at = models.DateTimeField()
    # Hours until the earliest free appointment; null when nothing was free in the horizon.
    lead_hours = models.FloatField(null=True)

    class Meta:
        indexes = [models.Index(fields=["office", "sampled_at"], name="lead_time_sample_month")]

    def __str__(self) -> str:
        return f"{self.office_id} {self.sampled_at:%d.%m.%Y}: {self.lead_hours}"
