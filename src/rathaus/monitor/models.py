"""What the monitor keeps itself: the committee's targets, monthly readings of shares, the
paper assumptions of the green-IT account and the platform's measured resource use.

Counts of applications, appointments and bookings are not copied here: they are read
from the modules' own tables whenever a figure is shown (see ``figures``).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Target(models.Model):
    """What the digitalisation committee wants a figure to reach, and by when."""

    figure = models.CharField(_("Kennzahl"), max_length=40, unique=True)
    value = models.DecimalField(
        _("Ziel"),
        max_digits=12,
        decimal_places=1,
        validators=[MinValueValidator(0)],
        help_text=_("Bei Anteilen in Prozent, sonst als Anzahl."),
    )
    year = models.PositiveSmallIntegerField(
        _("Bis zum Jahr"),
        default=2030,
        validators=[MinValueValidator(2024), MaxValueValidator(2050)],
    )
    basis = models.TextField(
        _("Beschluss"),
        blank=True,
        help_text=_("Wer das Ziel gesetzt hat, z. B. „Ausschuss Digitalisierung, 12.03.2026“."),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("Ziel")
        verbose_name_plural = _("Ziele")

    def __str__(self) -> str:
        return f"{self.figure}: {self.value} ({self.year})"


class Reading(models.Model):
    """A share as it stood in one month (the last reading of the month counts)."""

    figure = models.CharField(max_length=40)
    month = models.DateField()
    part = models.PositiveIntegerField()
    whole = models.PositiveIntegerField()
    taken_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["figure", "month"], name="reading_once_a_month")
        ]
        ordering = ["figure", "month"]

    def __str__(self) -> str:
        return f"{self.figure} {self.month:%Y-%m}: {self.part}/{self.whole}"


class PaperAssumption(models.Model):
    """How much paper and postage one case on paper uses, per kind of case and service.

    The account multiplies it with the cases that were really handled digitally. A row
    without a service holds for every service of its tally that has no row of its own."""

    tally = models.CharField(_("Art der Vorgänge"), max_length=40)
    service = models.CharField(
        _("Leistung"),
        max_length=120,
        blank=True,
        help_text=_("Kurzname der Leistung; leer: für alle Leistungen ohne eigene Annahme."),
    )
    sheets = models.PositiveSmallIntegerField(
        _("Blatt Papier je Vorgang"),
        validators=[MaxValueValidator(500)],
        help_text=_("Formular, Kopien, Anlagen, Ausdrucke und Briefe zusammen (DIN A4)."),
    )
    letters = models.PositiveSmallIntegerField(
        _("Briefe je Vorgang"),
        validators=[MaxValueValidator(50)],
        help_text=_("Briefe, die die Stadt bei einem Vorgang auf Papier verschickt."),
    )
    basis = models.TextField(
        _("Begründung"), help_text=_("Woher die Annahme kommt: Formularumfang, Zählung, Akte.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Papier-Annahme")
        verbose_name_plural = _("Papier-Annahmen")
        ordering = ["tally", "service"]
        constraints = [
            models.UniqueConstraint(
                fields=["tally", "service"],
                name="one_assumption_per_service",
                violation_error_message=_(
                    "Für diese Art von Vorgängen und diese Leistung gibt es schon eine Annahme."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.tally}/{self.service or '*'}"


class ResourceUse(models.Model):
    """CPU and database time the app servers spent per day and request type (URL name)."""

    day = models.DateField()
    route = models.CharField(max_length=200)
    requests = models.PositiveBigIntegerField(default=0)
    cpu_seconds = models.FloatField(default=0)
    db_seconds = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "route"], name="resource_use_per_day_route")
        ]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.route}"


class WifiPlace(models.Model):
    """A public place where the city offers, builds or plans free Wi-Fi (Freifunk)."""

    class Kind(models.TextChoices):
        BUILDING = "gebaeude", _("Öffentliches Gebäude")
        SCHOOL = "schule", _("Schule")
        SPORTS = "sport", _("Sportstätte")
        SQUARE = "platz", _("Platz oder Park")
        STOP = "haltestelle", _("Haltestelle")

    class Status(models.TextChoices):
        PLANNED = "geplant", _("Geplant")
        BUILDING = "im-aufbau", _("Im Aufbau")
        ACTIVE = "aktiv", _("In Betrieb")

    name = models.CharField(_("Name des Ortes"), max_length=150)
    kind = models.CharField(_("Art des Ortes"), max_length=20, choices=Kind.choices)
    quarter = models.ForeignKey(
        "offices.Quarter",
        verbose_name=_("Stadtteil"),
        on_delete=models.PROTECT,
        related_name="wifi_places",
    )
    address = models.CharField(_("Anschrift"), max_length=200, blank=True)
    latitude = models.DecimalField(_("Breitengrad"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("Längengrad"), max_digits=8, decimal_places=5)
    status = models.CharField(_("Ausbaustand"), max_length=20, choices=Status.choices)
    access_points = models.PositiveSmallIntegerField(
        _("Zugangspunkte"),
        default=0,
        validators=[MaxValueValidator(500)],
        help_text=_("Router, die an diesem Ort freies WLAN senden."),
    )
    registered_on = models.DateField(
        _("Aufgenommen am"), help_text=_("Seit wann der Ort im Ausbauplan steht.")
    )
    active_since = models.DateField(_("In Betrieb seit"), null=True, blank=True)
    note = models.TextField(_("Hinweis"), blank=True, max_length=1000)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("WLAN-Ort")
        verbose_name_plural = _("WLAN-Orte")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="aktiv")
                | models.Q(access_points__gte=1, active_since__isnull=False),
                name="wifi_active_has_access_points",
                violation_error_message=_(
                    "Ein Ort in Betrieb braucht mindestens einen Zugangspunkt und das Datum "
                    "der Inbetriebnahme."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(active_since__isnull=True)
                | models.Q(active_since__gte=models.F("registered_on")),
                name="wifi_active_after_registered",
                violation_error_message=_(
                    "Die Inbetriebnahme kann nicht vor der Aufnahme in den Plan liegen."
                ),
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.name
