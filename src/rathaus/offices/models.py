"""Organisationseinheiten (Bürgerbüros, Ämter), Stadtbezirke and Stadtteile.

The office is the unit of two things: who is responsible for a service in the
catalogue, and where staff work (their scope). It sits below ``accounts`` and
``catalog`` so both can point at it and dependencies stay one-way.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class District(models.Model):
    """A Stadtbezirk."""

    number = models.PositiveSmallIntegerField(_("Nummer"), unique=True)
    name = models.CharField(_("Name"), max_length=100)

    class Meta:
        verbose_name = _("Stadtbezirk")
        verbose_name_plural = _("Stadtbezirke")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.name


class Quarter(models.Model):
    """A Stadtteil, part of one Stadtbezirk. Its middle (WGS 84, roughly) lets a family
    sort daycares by distance from where it lives without giving a street address."""

    number = models.CharField(_("Nummer"), max_length=3, unique=True)
    name = models.CharField(_("Name"), max_length=100)
    district = models.ForeignKey(
        District, verbose_name=_("Stadtbezirk"), on_delete=models.PROTECT, related_name="quarters"
    )
    latitude = models.FloatField(_("Breitengrad (Mitte)"), null=True, blank=True)
    longitude = models.FloatField(_("Längengrad (Mitte)"), null=True, blank=True)

    class Meta:
        verbose_name = _("Stadtteil")
        verbose_name_plural = _("Stadtteile")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.name


class Office(models.Model):
    """An Organisationseinheit: a Bürgerbüro, an Amt or another place residents can go to."""

    class Kind(models.TextChoices):
        CITIZENS_OFFICE = "buergerbuero", _("Bürgerbüro")
        AUTHORITY = "amt", _("Amt")
        OTHER = "other", _("Sonstige Einrichtung")

    slug = models.SlugField(_("Kurzname in der Adresse"), unique=True, max_length=100)
    name = models.CharField(_("Name"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, db_index=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    easy_language = models.TextField(
        _("Leichte Sprache"),
        blank=True,
        help_text=_("Was die Stelle macht, wo sie ist und wann sie offen hat; ein Satz je Zeile."),
    )
    street = models.CharField(_("Straße und Hausnummer"), max_length=200)
    postcode = models.CharField(_("Postleitzahl"), max_length=5)
    city = models.CharField(_("Ort"), max_length=100, default="Düsseldorf")
    district = models.ForeignKey(
        District,
        verbose_name=_("Stadtbezirk"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="offices",
    )
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    opening_hours_note = models.TextField(_("Hinweis zu den Öffnungszeiten"), blank=True)
    accessibility = models.TextField(_("Barrierefreiheit vor Ort"), blank=True)
    is_demo = models.BooleanField(
        _("Demodaten"), default=False, help_text=_("Adresse und Kontaktdaten sind erfunden.")
    )

    class Meta:
        verbose_name = _("Dienststelle")
        verbose_name_plural = _("Dienststellen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OpeningHours(models.Model):
    """One opening period on one weekday; a weekday may have several (morning, afternoon)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Montag")
        TUESDAY = 1, _("Dienstag")
        WEDNESDAY = 2, _("Mittwoch")
        THURSDAY = 3, _("Donnerstag")
        FRIDAY = 4, _("Freitag")
        SATURDAY = 5, _("Samstag")
        SUNDAY = 6, _("Sonntag")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("Wochentag"), choices=Weekday.choices)
    opens = models.TimeField(_("von"))
    closes = models.TimeField(_("bis"))

    class Meta:
        verbose_name = _("Öffnungszeit")
        verbose_name_plural = _("Öffnungszeiten")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens__lt=models.F("closes")), name="opening_hours_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"
