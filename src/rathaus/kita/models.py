"""Daycares (Kitas and childminders), their providers, the free places of a Kita year, the
families' registrations with their ranked wishes, and the rounds that allocate the places.

A registration is the family's one application for several daycares. A round runs the
allocation core (``allocation.allocate``) over every registration still waiting and keeps,
per registration, the outcome, and per unit (daycare × group form × hours) the priority of
the last child it admitted: the staff's cut-off list, and with the family's registration
the explanation of every wish that was not given – never a re-run of the allocation.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rathaus.core import channels
from rathaus.core.channels import Channel
from rathaus.offices.models import District, Quarter

from . import allocation

__all__ = [
    "AuditAttributes",
    "Daycare",
    "FairnessReport",
    "GroupForm",
    "Hours",
    "Outcome",
    "Period",
    "Places",
    "Provider",
    "ProviderMembership",
    "Registration",
    "Round",
    "UnitResult",
    "Wish",
]


class GroupForm(models.TextChoices):
    """KiBiz group forms (NRW)."""

    I = "I", _("Gruppenform I (2 Jahre bis Schuleintritt)")  # noqa: E741 – the law's name
    II = "II", _("Gruppenform II (unter 3 Jahren)")
    III = "III", _("Gruppenform III (3 Jahre bis Schuleintritt)")


class Hours(models.IntegerChoices):
    H25 = 25, _("25 Stunden pro Woche")
    H35 = 35, _("35 Stunden pro Woche")
    H45 = 45, _("45 Stunden pro Woche")


assert tuple(GroupForm.values) == allocation.GROUP_FORMS
assert tuple(Hours.values) == allocation.HOURS


class Provider(models.Model):
    """A Träger: the city's youth office, a church, a parents' initiative or another free
    provider. Its staff manage its daycares only."""

    class Kind(models.TextChoices):
        CITY = "stadt", _("Städtischer Träger")
        CHURCH = "kirche", _("Kirchlicher Träger")
        PARENTS = "elterninitiative", _("Elterninitiative")
        FREE = "frei", _("Anderer freier Träger")

    slug = models.SlugField(_("Kurzname in der Adresse"), unique=True, max_length=100)
    name = models.CharField(_("Name"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    ignored_criteria = models.JSONField(
        _("Nicht angewandte Kriterien"),
        default=list,
        blank=True,
        help_text=_(
            "Kriterien der Stadt, die dieser Träger nicht anwendet. Reihenfolge und "
            "Rechtsanspruch legt die Stadt fest."
        ),
    )
    is_demo = models.BooleanField(
        _("Demodaten"), default=False, help_text=_("Adresse und Kontaktdaten sind erfunden.")
    )

    class Meta:
        verbose_name = _("Träger")
        verbose_name_plural = _("Träger")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProviderMembership(models.Model):
    """A staff member works for this provider and sees its daycares and assigned children."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kita_memberships"
    )
    provider = models.ForeignKey(
        Provider, verbose_name=_("Träger"), on_delete=models.CASCADE, related_name="members"
    )

    class Meta:
        verbose_name = _("Zugehörigkeit zu einem Kita-Träger")
        verbose_name_plural = _("Kita-Träger")
        constraints = [
            models.UniqueConstraint(fields=["user", "provider"], name="unique_kita_membership")
        ]

    def __str__(self) -> str:
        return str(self.provider)


class Daycare(models.Model):
    """A Kita or a childminder (Kindertagespflege), offered in the same registration."""

    class Kind(models.TextChoices):
        KITA = "kita", _("Kindertageseinrichtung")
        CHILDMINDING = "tagespflege", _("Kindertagespflege")

    provider = models.ForeignKey(
        Provider, verbose_name=_("Träger"), on_delete=models.PROTECT, related_name="daycares"
    )
    slug = models.SlugField(_("Kurzname in der Adresse"), unique=True, max_length=120)
    name = models.CharField(_("Name"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.KITA)
    street = models.CharField(_("Straße und Hausnummer"), max_length=200)
    postcode = models.CharField(_("Postleitzahl"), max_length=5)
    quarter = models.ForeignKey(
        Quarter, verbose_name=_("Stadtteil"), null=True, blank=True, on_delete=models.SET_NULL
    )
    district = models.ForeignKey(
        District, verbose_name=_("Stadtbezirk"), on_delete=models.PROTECT, related_name="+"
    )
    latitude = models.FloatField(_("Breitengrad"), null=True, blank=True)
    longitude = models.FloatField(_("Längengrad"), null=True, blank=True)
    opens_at = models.TimeField(_("Öffnet um"))
    closes_at = models.TimeField(_("Schließt um"))
    languages = models.CharField(
        _("Sprachen im Alltag"), max_length=200, blank=True, help_text=_("z. B. Deutsch, Türkisch")
    )
    pedagogy = models.CharField(
        _("Pädagogisches Konzept"), max_length=200, blank=True, help_text=_("z. B. Montessori")
    )
    profile = models.TextField(_("Profil"), blank=True)
    inclusion_places = models.PositiveSmallIntegerField(_("Inklusionsplätze"), default=0)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    is_demo = models.BooleanField(
        _("Demodaten"), default=False, help_text=_("Adresse und Kontaktdaten sind erfunden.")
    )

    class Meta:
        verbose_name = _("Kita oder Tagespflege")
        verbose_name_plural = _("Kitas und Tagespflege")
        ordering = ["name"]
        indexes = [models.Index(fields=["district", "name"])]

    def __str__(self) -> str:
        return self.name


class TieBreak(models.TextChoices):
    LOTTERY = "lottery", _("Los mit veröffentlichtem Startwert")
    AGE = "age", _("Ältere Kinder zuerst, dann das Los")


class Period(models.Model):
    """One allocation procedure: a Kita year with its registration deadline and the rules
    the city published for it (criteria in order, tie-break, longer hours allowed).

    The lottery seed is fixed when the period is created; only its SHA-256 is shown until
    the first round has run, then the seed itself, so anyone can recompute every ticket.
    """

    slug = models.SlugField(_("Kurzname in der Adresse"), unique=True, max_length=60)
    name = models.CharField(_("Name"), max_length=100, help_text=_("z. B. Kita-Jahr 2027/28"))
    start = models.DateField(_("Beginn des Kita-Jahres"))
    last_start = models.DateField(_("Spätester Betreuungsbeginn"))
    registration_opens = models.DateTimeField(_("Anmeldung ab"))
    registration_closes = models.DateTimeField(_("Anmeldeschluss"))
    criteria = models.JSONField(
        _("Kriterien in ihrer Reihenfolge"),
        default=list,
        help_text=_("Aus: sibling, district, entitlement, inclusion, work"),
    )
    tie_break = models.CharField(_("Bei gleichem Vorrang"), max_length=10, choices=TieBreak.choices)
    allow_longer_hours = models.BooleanField(
        _("Längere Betreuungszeit erlaubt"),
        default=True,
        help_text=_("Ein 45-Stunden-Platz darf an ein Kind mit 35 Stunden Bedarf gehen."),
    )
    max_wishes = models.PositiveSmallIntegerField(_("Höchstzahl der Wünsche"), default=10)
    response_days = models.PositiveSmallIntegerField(_("Tage für die Antwort"), default=14)
    retention_days = models.PositiveIntegerField(
        _("Aufbewahrung nach dem Kita-Jahresbeginn (Tage)"), default=365
    )
    seed = models.CharField(_("Startwert des Loses"), max_length=64, editable=False)
    seed_digest = models.CharField(_("SHA-256 des Startwerts"), max_length=64, editable=False)
    seed_published_at = models.DateTimeField(_("Startwert veröffentlicht am"), null=True)

    class Meta:
        verbose_name = _("Vergabeverfahren")
        verbose_name_plural = _("Vergabeverfahren")
        ordering = ["-start"]

    def __str__(self) -> str:
        return self.name


class Places(models.Model):
    """Free places of one unit (daycare × group form × hours) in one period."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="places")
    daycare = models.ForeignKey(Daycare, on_delete=models.CASCADE, related_name="places")
    group_form = models.CharField(_("Gruppenform"), max_length=3, choices=GroupForm.choices)
    hours = models.PositiveSmallIntegerField(_("Betreuungsumfang"), choices=Hours.choices)
    places = models.PositiveSmallIntegerField(_("Freie Plätze"))

    class Meta:
        verbose_name = _("Freie Plätze")
        verbose_name_plural = _("Freie Plätze")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "daycare", "group_form", "hours"], name="unique_kita_places"
            )
        ]

    def __str__(self) -> str:
        return f"{self.daycare}: {self.group_form}, {self.hours} h – {self.places}"


class Registration(models.Model):
    """A family's registration of one child for the period, with up to ``max_wishes``
    ranked daycares (``Wish``). Only what a criterion needs is asked; the audit attributes
    are optional and kept apart (``AuditAttributes``).

    A round changes the status of every registration in it. Few indexes, none on the
    status, and free room in each page (fillfactor 70 on PostgreSQL, migration 0002) let
    PostgreSQL update the row in place without touching an index: 30,000 statuses in a
    fraction of a second instead of half a second."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Angemeldet")
        OFFERED = "offered", _("Platz angeboten")
        ACCEPTED = "accepted", _("Platz angenommen")
        WAITING = "waiting", _("Noch ohne Platz")
        DECLINED = "declined", _("Angebot abgelehnt")
        EXPIRED = "expired", _("Antwortfrist verpasst")
        WITHDRAWN = "withdrawn", _("Zurückgezogen")

    CHANNELS = (Channel.ONLINE, Channel.COUNTER, Channel.PHONE, Channel.PAPER)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="registrations")
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konto"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="kita_registrations",
    )
    person = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("Person ohne Konto"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="kita_registrations",
        db_index=False,
    )
    parent_name = models.CharField(_("Name des Elternteils"), max_length=200)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    child_given_name = models.CharField(_("Vorname des Kindes"), max_length=100)
    child_family_name = models.CharField(_("Familienname des Kindes"), max_length=100)
    birth_date = models.DateField(_("Geburtsdatum des Kindes"))
    start_month = models.DateField(_("Betreuung ab"))
    hours = models.PositiveSmallIntegerField(_("Betreuungsumfang"), choices=Hours.choices)
    street = models.CharField(_("Straße und Hausnummer"), max_length=200)
    postcode = models.CharField(_("Postleitzahl"), max_length=5)
    district = models.ForeignKey(
        District,
        verbose_name=_("Wohnt im Stadtbezirk"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    sibling_daycares = models.ManyToManyField(
        Daycare, verbose_name=_("Geschwisterkind betreut in"), blank=True, related_name="+"
    )
    inclusion_needs = models.BooleanField(_("Besonderer Förderbedarf (Inklusion)"), default=False)
    parents_working = models.BooleanField(_("Eltern berufstätig oder in Ausbildung"), default=False)
    channel = models.CharField(
        _("Weg"), max_length=20, choices=channels.choices(*CHANNELS), default=Channel.ONLINE
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    status = models.CharField(
        _("Status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    anonymised_at = models.DateTimeField(_("Anonymisiert am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Kita-Anmeldung")
        verbose_name_plural = _("Kita-Anmeldungen")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(account__isnull=True) | Q(person__isnull=True),
                name="kita_registration_for_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.child_given_name} {self.child_family_name} ({self.period})"

    @property
    def child_name(self) -> str:
        return f"{self.child_given_name} {self.child_family_name}"


class Wish(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="wishes")
    rank = models.PositiveSmallIntegerField(_("Rang"))
    daycare = models.ForeignKey(Daycare, on_delete=models.PROTECT, related_name="wishes")

    class Meta:
        verbose_name = _("Wunsch")
        verbose_name_plural = _("Wünsche")
        ordering = ["registration", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "rank"], name="unique_wish_rank"),
            models.UniqueConstraint(fields=["registration", "daycare"], name="unique_wish_daycare"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.daycare}"


class AuditAttributes(models.Model):
    """What the fairness audit compares, given voluntarily and kept apart from the
    registration: no criterion reads it, only the audit after a round."""

    class Nationality(models.TextChoices):
        GERMAN = "de", _("Deutsch")
        EU = "eu", _("Andere EU-Staatsangehörigkeit")
        OTHER = "other", _("Andere Staatsangehörigkeit")

    class HomeLanguage(models.TextChoices):
        GERMAN = "de", _("Vor allem Deutsch")
        OTHER = "other", _("Vor allem eine andere Sprache")

    class Gender(models.TextChoices):
        GIRL = "girl", _("Mädchen")
        BOY = "boy", _("Junge")
        DIVERSE = "diverse", _("Divers")

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="audit_attributes"
    )
    nationality = models.CharField(
        _("Staatsangehörigkeit des Kindes"), max_length=5, choices=Nationality.choices, blank=True
    )
    home_language = models.CharField(
        _("Familiensprache"), max_length=5, choices=HomeLanguage.choices, blank=True
    )
    gender = models.CharField(
        _("Geschlecht des Kindes"), max_length=10, choices=Gender.choices, blank=True
    )

    class Meta:
        verbose_name = _("Angaben für die Fairness-Prüfung")
        verbose_name_plural = _("Angaben für die Fairness-Prüfung")

    def __str__(self) -> str:
        return str(self.registration_id)


class Round(models.Model):
    """One run of the allocation. Round 1 takes every registration; later rounds fill the
    places declined or left, for the children still without one, and take none away."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("Runde"))
    run_at = models.DateTimeField(_("Durchgeführt am"))
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    respond_by = models.DateTimeField(_("Antwort bis"))
    children = models.PositiveIntegerField(_("Kinder in der Runde"))
    offered = models.PositiveIntegerField(_("Angebotene Plätze"))
    seconds = models.FloatField(_("Rechenzeit (Sekunden)"), default=0)
    stable = models.BooleanField(_("Stabil geprüft"), default=False)

    class Meta:
        verbose_name = _("Vergaberunde")
        verbose_name_plural = _("Vergaberunden")
        ordering = ["period", "number"]
        constraints = [
            models.UniqueConstraint(fields=["period", "number"], name="unique_kita_round")
        ]

    def __str__(self) -> str:
        return f"{self.period}, Runde {self.number}"


class Outcome(models.Model):
    """What one round gave one registration: a place offered (and the family's answer), or
    none. Why not a wish above it is worked out from the units' cut-offs
    (``services.explanations``)."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("Angeboten")
        ACCEPTED = "accepted", _("Angenommen")
        DECLINED = "declined", _("Abgelehnt")
        EXPIRED = "expired", _("Frist abgelaufen")
        NONE = "none", _("Kein Platz in dieser Runde")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="outcomes")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="outcomes"
    )
    daycare = models.ForeignKey(
        Daycare, null=True, blank=True, on_delete=models.PROTECT, related_name="outcomes"
    )
    group_form = models.CharField(max_length=3, choices=GroupForm.choices, blank=True)
    hours = models.PositiveSmallIntegerField(choices=Hours.choices, null=True, blank=True)
    wish_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices)
    respond_by = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Ergebnis")
        verbose_name_plural = _("Ergebnisse")
        ordering = ["round", "registration"]
        constraints = [
            models.UniqueConstraint(fields=["round", "registration"], name="unique_kita_outcome"),
            models.CheckConstraint(
                condition=Q(status="none", daycare__isnull=True)
                | (~Q(status="none") & Q(daycare__isnull=False)),
                name="kita_outcome_place_iff_offered",
            ),
        ]
        indexes = [models.Index(fields=["daycare", "status"])]

    def __str__(self) -> str:
        return f"{self.round}: {self.registration_id} → {self.daycare_id}"


class UnitResult(models.Model):
    """Per unit and round: places, children admitted and the priority of the last one
    admitted (``cutoff``, criterion name → class or tie-break value; empty when places
    were left), which staff see as the cut-off."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="units")
    daycare = models.ForeignKey(Daycare, on_delete=models.CASCADE, related_name="+")
    group_form = models.CharField(max_length=3, choices=GroupForm.choices)
    hours = models.PositiveSmallIntegerField(choices=Hours.choices)
    places = models.PositiveSmallIntegerField()
    admitted = models.PositiveSmallIntegerField()
    cutoff = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["daycare", "group_form", "hours"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "daycare", "group_form", "hours"], name="unique_kita_unit_result"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.daycare_id} {self.group_form} {self.hours}"


class FairnessReport(models.Model):
    """The audit of one round, kept for the algorithm register: offer rates by attribute,
    gaps with confidence intervals and flags (``services.fairness``)."""

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="fairness")
    created_at = models.DateTimeField(auto_now_add=True)
    threshold = models.FloatField()
    figures = models.JSONField()
    flagged = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("Fairness-Bericht")
        verbose_name_plural = _("Fairness-Berichte")

    def __str__(self) -> str:
        return str(self.round)
