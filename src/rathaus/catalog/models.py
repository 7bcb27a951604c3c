"""The service catalogue: what the city offers (Leistung), which office is responsible
(``offices.Office``) and for which life situation.

Fields follow what German service catalogues carry (LeiKa/FIM): key, names,
descriptions, audience, documents, fees, processing time, legal basis, channels.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rathaus.core.channels import Channel


class Topic(models.Model):
    """A Themenbereich for browsing the catalogue."""

    slug = models.SlugField(_("Kurzname in der Adresse"), unique=True)
    title = models.CharField(_("Titel"), max_length=150)
    description = models.TextField(_("Beschreibung"), blank=True)

    class Meta:
        verbose_name = _("Themenbereich")
        verbose_name_plural = _("Themenbereiche")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalog:topic", args=[self.slug])


class LifeSituation(models.Model):
    """A Lebenslage such as "Umzug": the services a person needs at one moment of life."""

    slug = models.SlugField(_("Kurzname in der Adresse"), unique=True)
    title = models.CharField(_("Titel"), max_length=150)
    description = models.TextField(_("Beschreibung"), blank=True)
    keywords = models.TextField(
        _("Suchbegriffe"),
        blank=True,
        help_text=_(
            "Wie Menschen ihre Lage beschreiben, eine Wendung je Zeile, z. B. „umgezogen“, "
            "„neue Wohnung“. Die Suche zeigt dann diese Lebenslage und ihre Leistungen."
        ),
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Lebenslage")
        verbose_name_plural = _("Lebenslagen")
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalog:life_situation", args=[self.slug])


class ServiceQuerySet(models.QuerySet):
    def published(self) -> "ServiceQuerySet":
        return self.filter(is_published=True)


class Service(models.Model):
    """A Leistung: something a resident can get from the city."""

    leika = models.CharField(
        _("LeiKa-Schlüssel"),
        max_length=14,
        db_index=True,
        help_text=_("14-stelliger Schlüssel aus dem Leistungskatalog (LeiKa/FIM)."),
    )
    slug = models.SlugField(_("Kurzname in der Adresse"), unique=True, max_length=120)
    title = models.CharField(_("Titel"), max_length=200)
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("Themenbereich"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="services",
    )
    summary = models.TextField(_("Kurzbeschreibung"), max_length=600)
    description = models.TextField(_("Beschreibung"), blank=True)
    easy_language = models.TextField(_("Leichte Sprache"), blank=True)
    audience = models.TextField(_("Für wen?"), blank=True)
    required_documents = models.TextField(
        _("Erforderliche Unterlagen"), blank=True, help_text=_("Eine Unterlage pro Zeile.")
    )
    fee_amount = models.DecimalField(
        _("Gebühr in Euro"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    fee_note = models.TextField(
        _("Gebührenregel"), blank=True, help_text=_("Staffelung, Ermäßigungen, Gebührenfreiheit.")
    )
    processing_time = models.CharField(_("Bearbeitungsdauer"), max_length=300, blank=True)
    target_days = models.PositiveSmallIntegerField(
        _("Frist in Tagen"),
        default=30,
        help_text=_("Bis wann ein Antrag entschieden sein soll; danach gilt er als überfällig."),
    )
    retention_days = models.PositiveIntegerField(
        _("Aufbewahrung in Tagen"),
        default=3650,
        help_text=_(
            "So lange nach dem Abschluss bleiben Anträge erhalten; danach werden sie gelöscht "
            "oder anonymisiert."
        ),
    )
    legal_basis = models.TextField(_("Rechtsgrundlage"), blank=True)
    office = models.ForeignKey(
        "offices.Office",
        verbose_name=_("Zuständige Dienststelle"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    keywords = models.TextField(
        _("Suchbegriffe"), blank=True, help_text=_("Ein Begriff pro Zeile, auch Wortteile.")
    )
    synonyms = models.TextField(
        _("Andere Bezeichnungen"),
        blank=True,
        help_text=_("Umgangssprachliche und frühere Namen, einer pro Zeile (z. B. „Perso“)."),
    )
    life_situations = models.ManyToManyField(
        LifeSituation,
        verbose_name=_("Lebenslagen"),
        through="LifeSituationService",
        related_name="services",
        blank=True,
    )
    last_reviewed = models.DateField(_("Zuletzt geprüft am"), null=True, blank=True)
    requires_strong_auth = models.BooleanField(
        _("Bestätigung mit Passkey nötig"),
        default=False,
        help_text=_(
            "Offizielle Anträge: vor dem Absenden bestätigt die Person mit ihrem Passkey "
            "(Nutzerverifikation, höchstens 15 Minuten alt)."
        ),
    )
    popularity = models.PositiveIntegerField(
        _("Nachfrage pro Monat"), default=0, help_text=_("Ordnet die meistgenutzten Leistungen.")
    )
    is_published = models.BooleanField(_("Veröffentlicht"), default=True, db_index=True)
    updated_at = models.DateTimeField(_("Geändert am"), auto_now=True, db_index=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("Leistung")
        verbose_name_plural = _("Leistungen")
        ordering = ["title"]
        indexes = [models.Index(fields=["-popularity", "title"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalog:service", args=[self.slug])

    def keyword_list(self) -> list[str]:
        return _lines(self.keywords)

    def synonym_list(self) -> list[str]:
        return _lines(self.synonyms)

    def document_list(self) -> list[str]:
        return _lines(self.required_documents)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class ServiceChannel(models.Model):
    """A way to get a service: online, by appointment, on paper, by phone or in person."""

    class Kind(models.TextChoices):
        # The values of core.channels.Channel, plus booking an appointment.
        ONLINE = Channel.ONLINE.value, _("Online beantragen")
        APPOINTMENT = "appointment", _("Termin vereinbaren")
        PAPER = Channel.PAPER.value, _("Papierformular")
        PHONE = Channel.PHONE.value, _("Telefon")
        COUNTER = Channel.COUNTER.value, _("Persönlich vorsprechen")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(_("Zugang"), max_length=20, choices=Kind.choices)
    label = models.CharField(_("Beschriftung"), max_length=200, blank=True)
    url = models.CharField(_("Link"), max_length=500, blank=True)
    note = models.TextField(_("Hinweis"), blank=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Zugangsweg")
        verbose_name_plural = _("Zugangswege")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label or self.get_kind_display()


class LifeSituationService(models.Model):
    life_situation = models.ForeignKey(LifeSituation, on_delete=models.CASCADE)
    service = models.ForeignKey(Service, on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["life_situation", "service"], name="unique_life_situation_service"
            )
        ]

    def __str__(self) -> str:
        return f"{self.life_situation_id}: {self.service_id}"


class SearchDocument(models.Model):
    """The search index entry of one service, written by ``catalog.search.reindex``.

    ``published`` and ``boost`` are copied from the service so a search reads only
    this table; ``boost`` lifts much-requested services a little among equally good
    matches. On PostgreSQL ``core_vector`` holds title, other names, keywords and
    summary (weights A-C) and ``vector`` those plus the body (D), each behind a GIN
    index; on SQLite the words live in the FTS5 table ``catalog_search_fts``
    (migration 0002), whose row a trigger removes whenever this row goes.
    """

    service = models.OneToOneField(
        Service, primary_key=True, on_delete=models.CASCADE, related_name="search_document"
    )
    published = models.BooleanField(default=True)
    boost = models.FloatField(default=1.0)
    core_vector = SearchVectorField(null=True)
    vector = SearchVectorField(null=True)

    def __str__(self) -> str:
        return f"Suchindex: {self.service_id}"


class SynonymGroup(models.Model):
    """Words residents use for the same thing ("Auto, Kfz, Fahrzeug, Pkw").

    A query word from a group also finds services that use the other words.
    Service-specific names ("Perso") belong on the service, not here.
    """

    terms = models.CharField(
        _("Begriffe"), max_length=500, help_text=_("Durch Kommas getrennt, z. B. „Auto, Kfz, Pkw“.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Synonymgruppe")
        verbose_name_plural = _("Synonymgruppen")
        ordering = ["terms"]

    def __str__(self) -> str:
        return self.terms

    def term_list(self) -> list[str]:
        return [t.strip() for t in self.terms.split(",") if t.strip()]
