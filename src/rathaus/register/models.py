"""A register record (one algorithm or software system) and its published versions.

The record is the responsible office's working copy; what the public reads is always a
``Version``: a frozen, canonical JSON document of the public fields whose SHA-256 is in the
transparency log. So the history cannot be rewritten quietly, and anyone can check a
version against the log with the file the register serves.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Record(models.Model):
    class Phase(models.TextChoices):
        PLANNED = "planned", _("In Planung")
        PILOT = "pilot", _("In Erprobung")
        PRODUCTION = "production", _("Im Einsatz")
        RETIRED = "retired", _("Außer Betrieb")

    class DecisionRole(models.TextChoices):
        SUPPORTS = "supports", _("Unterstützt eine Entscheidung, die ein Mensch trifft")
        DECIDES = "decides", _("Entscheidet selbst (automatisiert)")
        ORGANISES = "organises", _("Ordnet oder verteilt, ohne über Anträge zu entscheiden")

    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=80, unique=True)
    name = models.CharField(_("Name"), max_length=200)
    summary = models.CharField(_("Kurzbeschreibung"), max_length=500)
    office = models.ForeignKey(
        "offices.Office",
        verbose_name=_("Verantwortliche Dienststelle"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    contact_email = models.EmailField(
        _("Kontakt (Funktionspostfach)"),
        help_text=_("Ein Postfach der Dienststelle, keine persönliche Adresse."),
    )
    phase = models.CharField(_("Status"), max_length=20, choices=Phase.choices)
    decision_role = models.CharField(
        _("Rolle in der Entscheidung"), max_length=20, choices=DecisionRole.choices
    )
    purpose = models.TextField(_("Wofür die Stadt es einsetzt"), max_length=4000)
    how_it_works = models.TextField(_("So funktioniert es"), max_length=8000)
    easy_language = models.TextField(_("Erklärung in Leichter Sprache"), max_length=4000)
    data_used = models.TextField(_("Daten, die es verwendet"), max_length=4000)
    excluded_data = models.TextField(_("Daten, die es nicht verwenden darf"), max_length=4000)
    human_oversight = models.TextField(_("Aufsicht durch Menschen"), max_length=4000)
    appeal = models.TextField(_("Widerspruch und Überprüfung"), max_length=4000)
    risks = models.TextField(_("Risiken"), max_length=4000)
    mitigations = models.TextField(_("Gegenmaßnahmen"), max_length=4000)
    supplier = models.CharField(
        _("Herkunft der Software"),
        max_length=200,
        help_text=_("„Eigenentwicklung“ oder der Name des Anbieters."),
    )
    procurement = models.TextField(_("Beschaffung"), max_length=4000, blank=True)
    # {criterion: {"state": …, "evidence": …}} for the criteria of ``procurement.CRITERIA``.
    procurement_checklist = models.JSONField(_("Beschaffungs-Checkliste"), default=dict, blank=True)
    code_paths = models.TextField(
        _("Quellcode"),
        max_length=2000,
        blank=True,
        help_text=_("Pfade im Quellcode-Repository, eine Zeile je Pfad."),
    )
    test_paths = models.TextField(
        _("Tests"),
        max_length=2000,
        blank=True,
        help_text=_("Pfade der Tests im Quellcode-Repository, eine Zeile je Pfad."),
    )
    current = models.ForeignKey(
        "Version",
        verbose_name=_("Veröffentlichte Fassung"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Eintrag im Algorithmenregister")
        verbose_name_plural = _("Einträge im Algorithmenregister")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("register:record", args=[self.slug])


class Version(models.Model):
    """One published state of a record; never changed once written."""

    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("Fassung"))
    document = models.TextField(_("Dokument (kanonisches JSON)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    reason = models.CharField(_("Grund der Änderung"), max_length=500)
    published_at = models.DateTimeField(_("Veröffentlicht am"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["record", "-number"]
        verbose_name = _("Fassung eines Registereintrags")
        verbose_name_plural = _("Fassungen von Registereinträgen")
        constraints = [
            models.UniqueConstraint(fields=["record", "number"], name="unique_register_version")
        ]

    def __str__(self) -> str:
        return f"{self.record} – {self.number}"


class Audit(models.Model):
    """A fairness audit of an algorithm's decisions: the figures only, never the decisions.

    The uploaded file is read, audited and dropped (its SHA-256 stays, so a report can be
    matched to the file the office keeps). An audit of a published record is public.
    """

    class Source(models.TextChoices):
        UPLOAD = "upload", _("Hochgeladene Entscheidungen")
        KITA = "kita", _("Kita-Platzvergabe (automatisch nach jeder Runde)")
        LOTTERY = "lottery", _("Verlosung (automatisch nach jeder Ziehung)")

    title = models.CharField(_("Titel"), max_length=200)
    office = models.ForeignKey(
        "offices.Office", verbose_name=_("Dienststelle"), on_delete=models.PROTECT, related_name="+"
    )
    record = models.ForeignKey(
        Record,
        verbose_name=_("Eintrag im Register"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audits",
    )
    source = models.CharField(
        _("Herkunft"), max_length=20, choices=Source.choices, default=Source.UPLOAD
    )
    file_name = models.CharField(_("Datei"), max_length=200, blank=True)
    file_sha256 = models.CharField(_("SHA-256 der Datei"), max_length=64, blank=True)
    results = models.JSONField(_("Ergebnisse"))
    flagged = models.BooleanField(_("Auffällig"), default=False)
    created_at = models.DateTimeField(_("Erstellt am"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Fairness-Prüfung")
        verbose_name_plural = _("Fairness-Prüfungen")

    def __str__(self) -> str:
        return self.title

    @property
    def public(self) -> bool:
        return self.record is not None and self.record.current_id is not None
