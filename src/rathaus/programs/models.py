"""City-funded offers (culture, sport, courses, social projects, staff training), the
providers who run them, and who booked, waits or drew a place.

The one number that must never be wrong is ``Offer.taken``: the places held by active
bookings plus the places offered to the waiting list and not yet claimed. Every change
of it is one conditional ``UPDATE`` in ``services.booking`` (``taken + n <= capacity``),
so the database, not Python, decides who got the last place, across processes and hosts.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rathaus.core import channels
from rathaus.core.channels import Channel
from rathaus.core.secrets import new_code
from rathaus.offices.models import District, Quarter

__all__ = [
    "Attendance",
    "Booking",
    "BookingParticipant",
    "Category",
    "LotteryEntry",
    "Offer",
    "Participant",
    "PaymentEvent",
    "Provider",
    "ProviderMembership",
    "Session",
    "Venue",
    "WaitlistEntry",
]


def new_booking_code() -> str:
    """Eight characters without 0/O or 1/I/L, read out on the phone without mistakes."""
    return new_code(groups=2, size=4)


class Category(models.TextChoices):
    CULTURE = "kultur", _("Kultur")
    SPORT = "sport", _("Sport & Schwimmen")
    FAMILY = "familie", _("Familie & Kinder")
    YOUTH = "jugend", _("Jugend")
    SENIORS = "senioren", _("Senior*innen")
    EDUCATION = "bildung", _("Bildung")
    SOCIAL = "soziales", _("Soziales")
    HOLIDAY = "ferien", _("Ferienprogramm")
    STAFF_TRAINING = "fortbildung", _("Fortbildung für Mitarbeitende")


class Provider(models.Model):
    """A city department or a funded organisation that runs offers (Träger, Anbieter)."""

    class Kind(models.TextChoices):
        CITY = "stadt", _("Städtisches Amt oder Institut")
        ASSOCIATION = "verein", _("Verein oder Verband")
        LIBRARY = "bibliothek", _("Bibliothek")
        MUSEUM = "museum", _("Museum oder Theater")
        YOUTH_CENTRE = "jugend", _("Jugendfreizeiteinrichtung")
        ADULT_EDUCATION = "vhs", _("Volkshochschule")
        OTHER = "sonstige", _("Sonstiger Träger")

    slug = models.SlugField(_("Kurzname in der Adresse"), unique=True, max_length=100)
    name = models.CharField(_("Name"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("Beschreibung"), blank=True)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    website = models.URLField(_("Internetseite"), blank=True)
    # Überweisung: where participants pay to (shown with a GiroCode on the booking).
    account_holder = models.CharField(_("Kontoinhaber"), max_length=70, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    is_demo = models.BooleanField(
        _("Demodaten"), default=False, help_text=_("Adresse und Kontaktdaten sind erfunden.")
    )

    class Meta:
        verbose_name = _("Anbieter")
        verbose_name_plural = _("Anbieter")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProviderMembership(models.Model):
    """A staff member works for this provider and manages its offers and participants."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_memberships"
    )
    provider = models.ForeignKey(
        Provider, verbose_name=_("Anbieter"), on_delete=models.CASCADE, related_name="members"
    )

    class Meta:
        verbose_name = _("Zugehörigkeit zu einem Anbieter")
        verbose_name_plural = _("Anbieter")
        constraints = [
            models.UniqueConstraint(fields=["user", "provider"], name="unique_provider_membership")
        ]

    def __str__(self) -> str:
        return str(self.provider)


class Venue(models.Model):
    """Where an offer takes place, with what makes it reachable for everyone."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(_("Name"), max_length=200)
    street = models.CharField(_("Straße und Hausnummer"), max_length=200)
    postcode = models.CharField(_("Postleitzahl"), max_length=5)
    city = models.CharField(_("Ort"), max_length=100, default="Düsseldorf")
    quarter = models.ForeignKey(
        Quarter, verbose_name=_("Stadtteil"), null=True, blank=True, on_delete=models.SET_NULL
    )
    district = models.ForeignKey(
        District, verbose_name=_("Stadtbezirk"), null=True, blank=True, on_delete=models.SET_NULL
    )
    step_free = models.BooleanField(_("Stufenlos erreichbar"), default=False)
    induction_loop = models.BooleanField(_("Induktive Höranlage"), default=False)
    accessibility_note = models.TextField(_("Hinweise zur Barrierefreiheit"), blank=True)

    class Meta:
        verbose_name = _("Veranstaltungsort")
        verbose_name_plural = _("Veranstaltungsorte")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.street}"


class Offer(models.Model):
    """One bookable offer: a course, a camp, a performance, a training."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        PUBLISHED = "published", _("Veröffentlicht")
        CANCELLED = "cancelled", _("Abgesagt")

    class Allocation(models.TextChoices):
        FIRST_COME = "first_come", _("Nach Eingang der Buchung")
        LOTTERY = "lottery", _("Anmeldezeitraum mit Losverfahren")

    class TimeOfDay(models.TextChoices):
        MORNING = "morning", _("Vormittags (bis 12 Uhr)")
        AFTERNOON = "afternoon", _("Nachmittags (12 bis 17 Uhr)")
        EVENING = "evening", _("Abends (ab 17 Uhr)")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(
        Provider, verbose_name=_("Anbieter"), on_delete=models.PROTECT, related_name="offers"
    )
    slug = models.SlugField(_("Kurzname in der Adresse"), unique=True, max_length=120)
    title = models.CharField(_("Titel"), max_length=200)
    summary = models.CharField(_("Kurzbeschreibung"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True)
    easy_text = models.TextField(_("Text in Leichter Sprache"), blank=True)
    category = models.CharField(
        _("Kategorie"), max_length=20, choices=Category.choices, db_index=True
    )
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    internal = models.BooleanField(
        _("Nur für Mitarbeitende"),
        default=False,
        help_text=_("Fortbildungen der Stadt: nur angemeldete Mitarbeitende sehen und buchen."),
    )
    age_min = models.PositiveSmallIntegerField(_("Mindestalter"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("Höchstalter"), null=True, blank=True)
    venue = models.ForeignKey(
        Venue, verbose_name=_("Ort"), null=True, blank=True, on_delete=models.PROTECT
    )
    sign_language = models.BooleanField(_("Mit Gebärdensprache"), default=False)
    easy_language = models.BooleanField(_("In Leichter Sprache"), default=False)
    # Denormalised from the sessions so the search filters on one table.
    district = models.ForeignKey(
        District, verbose_name=_("Stadtbezirk"), null=True, blank=True, on_delete=models.SET_NULL
    )
    step_free = models.BooleanField(_("Stufenlos erreichbar"), default=False)
    starts_at = models.DateTimeField(_("Beginn"), null=True, blank=True, db_index=True)
    ends_at = models.DateTimeField(_("Ende"), null=True, blank=True)
    weekdays = models.PositiveSmallIntegerField(
        _("Wochentage"), default=0, help_text=_("Bit 0 = Montag … Bit 6 = Sonntag")
    )
    times_of_day = models.PositiveSmallIntegerField(
        _("Tageszeiten"), default=0, help_text=_("Bit 0 = vormittags, 1 = nachmittags, 2 = abends")
    )
    search_text = models.TextField(editable=False, blank=True)

    capacity = models.PositiveIntegerField(_("Plätze"))
    taken = models.PositiveIntegerField(
        _("Vergebene Plätze"),
        default=0,
        editable=False,
        help_text=_("Gebuchte Plätze und Plätze, die gerade der Warteliste angeboten werden."),
    )
    max_places_per_booking = models.PositiveSmallIntegerField(
        _("Höchstens Personen je Buchung"), default=4
    )
    booking_opens_at = models.DateTimeField(_("Buchung ab"), null=True, blank=True)
    booking_closes_at = models.DateTimeField(_("Buchung bis"), null=True, blank=True)
    allocation = models.CharField(
        _("Vergabe"), max_length=12, choices=Allocation.choices, default=Allocation.FIRST_COME
    )
    lottery_priorities = models.JSONField(
        _("Vorrang bei der Verlosung"),
        default=list,
        blank=True,
        help_text=_("Gruppen mit Vorrang, in dieser Reihenfolge: duesselpass, district, new."),
    )
    lottery_seed = models.CharField(_("Startwert der Verlosung"), max_length=64, blank=True)
    lottery_drawn_at = models.DateTimeField(_("Verlost am"), null=True, blank=True)
    # The published list as drawn (seed, entries, result), kept unchanged: later edits of
    # the offer (capacity, priority groups) must not change what was published and logged.
    lottery_list = models.JSONField(null=True, blank=True, editable=False)

    price = models.DecimalField(
        _("Preis je Person"), max_digits=8, decimal_places=2, default=Decimal("0.00")
    )
    price_reduced = models.DecimalField(
        _("Preis mit DüsselPass"), max_digits=8, decimal_places=2, default=Decimal("0.00")
    )
    sibling_discount_percent = models.PositiveSmallIntegerField(
        _("Geschwisterrabatt (Prozent)"),
        default=0,
        help_text=_("Für das zweite und jedes weitere Kind derselben Buchung."),
    )
    payment_methods = models.JSONField(
        _("Zahlungsarten"), default=list, blank=True, help_text=_("z. B. transfer, on_site")
    )
    cancel_until_hours = models.PositiveIntegerField(
        _("Kostenlos stornierbar bis (Stunden vor Beginn)"), default=48
    )
    cancellation_note = models.TextField(_("Stornobedingungen"), blank=True)
    waitlist_enabled = models.BooleanField(_("Warteliste"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Angebot")
        verbose_name_plural = _("Angebote")
        ordering = ["starts_at", "title"]
        indexes = [
            models.Index(fields=["status", "internal", "starts_at"], name="offer_listing"),
            models.Index(fields=["category", "starts_at"], name="offer_category"),
            models.Index(fields=["district", "starts_at"], name="offer_district"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(taken__lte=F("capacity")), name="offer_not_overbooked"
            ),
            models.CheckConstraint(
                condition=Q(age_min__isnull=True)
                | Q(age_max__isnull=True)
                | Q(age_min__lte=F("age_max")),
                name="offer_age_range",
            ),
            models.CheckConstraint(
                condition=Q(sibling_discount_percent__lte=100), name="offer_sibling_discount"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.taken)

    @property
    def is_free_of_charge(self) -> bool:
        return self.price == 0


class Session(models.Model):
    """One date of an offer (a single performance has one, a course ten)."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    cancelled_at = models.DateTimeField(_("Abgesagt am"), null=True, blank=True)
    note = models.CharField(_("Hinweis"), max_length=300, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("Kurs", "Termin")
        verbose_name_plural = pgettext_lazy("Kurs", "Termine")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["offer", "starts_at"], name="session_offer_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.offer} {self.starts_at:%d.%m.%Y %H:%M}"


class Participant(models.Model):
    """Someone a resident books for: themself or a child. Name and birth year only, which
    is all the age check needs."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="program_participants"
    )
    name = models.CharField(_("Vorname und Name"), max_length=100)
    birth_year = models.PositiveSmallIntegerField(_("Geburtsjahr"), null=True, blank=True)
    is_self = models.BooleanField(_("Ich selbst"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Teilnehmende Person")
        verbose_name_plural = _("Teilnehmende Personen")
        ordering = ["-is_self", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["account"], condition=Q(is_self=True), name="one_self_participant"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Booking(models.Model):
    """Places on one offer for one or more participants, booked by a resident or by staff
    for a caller."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Gebucht")
        CANCELLED = "cancelled", _("Storniert")
        OFFER_CANCELLED = "offer_cancelled", _("Angebot abgesagt")

    class Payment(models.TextChoices):
        NOT_REQUIRED = "free", _("Kostenlos")
        OPEN = "open", _("Zahlung offen")
        PAID = "paid", _("Bezahlt")
        REFUND_DUE = "refund_due", _("Erstattung offen")
        REFUNDED = "refunded", _("Erstattet")
        VOID = "void", _("Entfällt")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("Buchungscode"), max_length=12, unique=True, default=new_booking_code)
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="bookings")
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="program_bookings",
    )
    contact_name = models.CharField(_("Name"), max_length=100)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    places = models.PositiveSmallIntegerField(_("Plätze"))
    status = models.CharField(
        _("Status"), max_length=16, choices=Status.choices, default=Status.BOOKED, db_index=True
    )
    channel = models.CharField(
        _("Weg"),
        max_length=10,
        choices=channels.choices(Channel.ONLINE, Channel.COUNTER, Channel.PHONE),
        default=Channel.ONLINE,
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Gebucht durch Mitarbeitende"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    total = models.DecimalField(_("Betrag"), max_digits=9, decimal_places=2, default=Decimal("0"))
    payment_method = models.CharField(_("Zahlungsart"), max_length=20, blank=True)
    payment_status = models.CharField(
        _("Zahlung"), max_length=12, choices=Payment.choices, default=Payment.NOT_REQUIRED
    )
    paid_at = models.DateTimeField(_("Bezahlt am"), null=True, blank=True)
    payment_reminded_at = models.DateTimeField(
        _("An die Zahlung erinnert am"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("Gebucht am"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("Storniert am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Buchung")
        verbose_name_plural = _("Buchungen")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["offer", "status"], name="booking_offer_status"),
            models.Index(fields=["account", "status"], name="booking_account_status"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.BOOKED


class BookingParticipant(models.Model):
    """One person on a booking, with the price that applied to them."""

    class Reduction(models.TextChoices):
        NONE = "", _("Keine")
        DUESSELPASS = "duesselpass", _("DüsselPass")
        SIBLING = "sibling", _("Geschwisterrabatt")
        FREE = "free", _("Kostenlos")

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="participants")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    name = models.CharField(_("Name"), max_length=100)
    birth_year = models.PositiveSmallIntegerField(_("Geburtsjahr"), null=True, blank=True)
    price = models.DecimalField(_("Preis"), max_digits=8, decimal_places=2, default=Decimal("0"))
    reduction = models.CharField(
        _("Ermäßigung"), max_length=12, choices=Reduction.choices, blank=True, default=""
    )
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("Teilnahme")
        verbose_name_plural = _("Teilnahmen")
        constraints = [
            # The same child cannot hold two places on one offer.
            models.UniqueConstraint(
                fields=["offer", "participant"],
                condition=Q(active=True, participant__isnull=False),
                name="participant_once_per_offer",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Attendance(models.Model):
    """Whether a participant came to one session (kept by the provider)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(
        BookingParticipant, on_delete=models.CASCADE, related_name="attendance"
    )
    present = models.BooleanField(_("Anwesend"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Anwesenheit")
        verbose_name_plural = _("Anwesenheit")
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.participant} – {self.session}"


class Applicant(models.Model):
    """Who asks for places without holding them yet (a waiting-list entry, a lottery
    entry): the account or a caller's contact, the people who would take part, and the
    DüsselPass they would book with."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="program_%(class)s_set",
    )
    contact_name = models.CharField(_("Name"), max_length=100)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    # Who would take part: [{"participant": id|None, "name": …, "birth_year": …}, …]
    people = models.JSONField(default=list)
    places = models.PositiveSmallIntegerField(_("Plätze"))
    duesselpass = models.BooleanField(_("DüsselPass"), default=False)
    channel = models.CharField(
        _("Weg"),
        max_length=10,
        choices=channels.choices(Channel.ONLINE, Channel.COUNTER, Channel.PHONE),
        default=Channel.ONLINE,
    )

    class Meta:
        abstract = True


class WaitlistEntry(Applicant):
    """A place in the queue of a full offer. A freed place is offered to the first waiting
    entry that fits, held for it until ``offered_until``, and then passed on."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Wartet")
        OFFERED = "offered", _("Platz angeboten")
        CLAIMED = "claimed", _("Platz angenommen")
        EXPIRED = "expired", _("Angebot verfallen")
        WITHDRAWN = "withdrawn", _("Zurückgezogen")
        CLOSED = "closed", _("Angebot abgesagt")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="waitlist")
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.WAITING, db_index=True
    )
    claim_digest = models.CharField(max_length=64, blank=True)
    offered_until = models.DateTimeField(_("Angebot gilt bis"), null=True, blank=True)
    booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="from_waitlist"
    )
    created_at = models.DateTimeField(_("Eingetragen am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Wartelisteneintrag")
        verbose_name_plural = _("Warteliste")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["offer", "status", "created_at"], name="waitlist_queue")]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "account"],
                condition=Q(status__in=["waiting", "offered"], account__isnull=False),
                name="waitlist_once_per_account",
            )
        ]

    def __str__(self) -> str:
        return f"{self.offer}: {self.contact_name}"


class LotteryEntry(Applicant):
    """An application in the registration window of a lottery offer.

    ``pseudonym`` is what the published input list shows (a keyed digest of the entry);
    ``rank`` is the entry's place in the drawn order, ``won`` whether it got places.
    """

    class Status(models.TextChoices):
        ENTERED = "entered", _("Angemeldet")
        WON = "won", _("Platz erhalten")
        LOST = "lost", _("Kein Platz – auf der Warteliste")
        WITHDRAWN = "withdrawn", _("Zurückgezogen")
        CLOSED = "closed", _("Angebot abgesagt")

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="lottery_entries")
    lives_in_district = models.BooleanField(_("Wohnt im Stadtbezirk"), default=False)
    placed_this_season = models.BooleanField(_("In dieser Saison schon einen Platz"), default=False)
    pseudonym = models.CharField(max_length=16, blank=True, db_index=True)
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.ENTERED
    )
    rank = models.PositiveIntegerField(_("Rang"), null=True, blank=True)
    booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="from_lottery"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Losanmeldung")
        verbose_name_plural = _("Losanmeldungen")
        ordering = ["offer", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "account"],
                condition=Q(account__isnull=False) & ~Q(status="withdrawn"),
                name="lottery_once_per_account",
            )
        ]

    def __str__(self) -> str:
        return f"{self.offer}: {self.pseudonym}"


class PaymentEvent(models.Model):
    """A payment, refund or correction on a booking: who marked it, from which source
    (staff by hand, a bank-statement import), and the amount. The booking keeps the state."""

    class Kind(models.TextChoices):
        PAID = "paid", _("Zahlung eingegangen")
        REFUNDED = "refunded", _("Erstattet")
        REFUND_DUE = "refund_due", _("Erstattung vorgemerkt")

    class Source(models.TextChoices):
        STAFF = "staff", _("Von Mitarbeitenden erfasst")
        STATEMENT = "statement", _("Kontoauszug (CSV)")
        PROVIDER = "provider", _("Zahlungsdienst")

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="payment_events")
    kind = models.CharField(_("Art"), max_length=12, choices=Kind.choices)
    source = models.CharField(_("Quelle"), max_length=10, choices=Source.choices)
    amount = models.DecimalField(_("Betrag"), max_digits=9, decimal_places=2)
    method = models.CharField(_("Zahlungsart"), max_length=20, blank=True)
    note = models.CharField(_("Hinweis"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Zahlungsvorgang")
        verbose_name_plural = _("Zahlungsvorgänge")
        ordering = ["recorded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} €"
