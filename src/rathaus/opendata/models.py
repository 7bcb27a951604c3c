"""The open-data catalogue's tables, shaped after CKAN so its Action API is a thin mapping.

An ``Organisation`` publishes ``Dataset``s (CKAN's packages, DCAT's datasets). Every build or
upload of a data set is a ``Release``, kept forever and addressable by number; its files are
frozen in the release (``csv``, ``geojson`` and the data package ``package`` whose SHA-256
goes into the transparency log). A data set's ``Resource``s are CKAN's stable handles for its
distributions; they serve the current release. ``StoreRow`` holds the current release's rows
for ``datastore_search``; ``SearchTerm`` holds what ``package_search`` matches and counts.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The EU data themes (DCAT-AP), German labels as GovData shows them.
THEMES = {
    "AGRI": _("Landwirtschaft, Fischerei, Forstwirtschaft und Nahrungsmittel"),
    "ECON": _("Wirtschaft und Finanzen"),
    "EDUC": _("Bildung, Kultur und Sport"),
    "ENER": _("Energie"),
    "ENVI": _("Umwelt"),
    "GOVE": _("Regierung und öffentlicher Sektor"),
    "HEAL": _("Gesundheit"),
    "INTR": _("Internationale Themen"),
    "JUST": _("Justiz, Rechtssystem und öffentliche Sicherheit"),
    "REGI": _("Regionen und Städte"),
    "SOCI": _("Bevölkerung und Gesellschaft"),
    "TECH": _("Wissenschaft und Technologie"),
    "TRAN": _("Verkehr"),
}

# Licences of the DCAT-AP.de vocabulary (http://dcat-ap.de/def/licenses/…) offered here:
# title, the licence text, and the Open Definition id that data packages name.
LICENCES = {
    "dl-by-de/2.0": (
        _("Datenlizenz Deutschland – Namensnennung – Version 2.0"),
        "https://www.govdata.de/dl-de/by-2-0",
        "dl-de-by-2.0",
    ),
    "dl-zero-de/2.0": (
        _("Datenlizenz Deutschland – Zero – Version 2.0"),
        "https://www.govdata.de/dl-de/zero-2-0",
        "dl-de-zero-2.0",
    ),
    "cc-by/4.0": (
        _("Creative Commons Namensnennung – 4.0 International (CC BY 4.0)"),
        "https://creativecommons.org/licenses/by/4.0/",
        "CC-BY-4.0",
    ),
    "cc-zero": (
        _("Creative Commons CC Zero License (cc-zero)"),
        "https://creativecommons.org/publicdomain/zero/1.0/",
        "CC0-1.0",
    ),
}
DEFAULT_LICENCE = "dl-by-de/2.0"

# EU frequencies (http://publications.europa.eu/resource/authority/frequency/…).
FREQUENCIES = {
    "DAILY": _("täglich"),
    "WEEKLY": _("wöchentlich"),
    "MONTHLY": _("monatlich"),
    "QUARTERLY": _("vierteljährlich"),
    "ANNUAL": _("jährlich"),
    "IRREG": _("unregelmäßig"),
}


class Organisation(models.Model):
    """A publisher: an Amt, a municipal company or an institution (CKAN's organization)."""

    slug = models.SlugField(_("Kurzname"), max_length=100, unique=True)
    title = models.CharField(_("Name"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    email = models.EmailField(_("Kontakt-E-Mail"))
    homepage = models.URLField(_("Website"), blank=True)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("veröffentlichende Stelle")
        verbose_name_plural = _("veröffentlichende Stellen")

    def __str__(self) -> str:
        return self.title


class Dataset(models.Model):
    """A data set: its DCAT-AP.de metadata, where its rows come from and how they are
    protected. The metadata belongs to the data set; the content to its releases."""

    class Source(models.TextChoices):
        PIPELINE = "pipeline", _("aus einem Fachverfahren (automatisch)")
        UPLOAD = "upload", _("hochgeladen")
        FETCH = "fetch", _("regelmäßig von einer Adresse abgerufen")

    class Disclosure(models.TextChoices):
        NONE = "none", _("keine (enthält keine Personenzahlen)")
        SUPPRESSION = "suppression", _("Sperrung kleiner Fallzahlen (mit Sekundärsperrung)")
        CELL_KEY = "cell_key", _("Cell-Key-Verfahren (Überlagerung, wie im Zensus 2022)")

    class State(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        PUBLISHED = "published", _("veröffentlicht")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("Kurzname"), max_length=100, unique=True)
    title = models.CharField(_("Titel"), max_length=300)
    description = models.TextField(_("Beschreibung"))
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("veröffentlichende Stelle"),
        on_delete=models.PROTECT,
        related_name="datasets",
    )
    themes = models.JSONField(_("Themen"), default=list)
    keywords = models.JSONField(_("Schlagwörter"), default=list)
    licence = models.CharField(_("Lizenz"), max_length=40, default=DEFAULT_LICENCE)
    frequency = models.CharField(_("Aktualisierung"), max_length=20, default="IRREG")
    temporal_start = models.DateField(_("Zeitraum von"), null=True, blank=True)
    temporal_end = models.DateField(_("Zeitraum bis"), null=True, blank=True)
    contact_name = models.CharField(_("Ansprechstelle"), max_length=200)
    contact_email = models.EmailField(_("Kontakt-E-Mail"))
    source = models.CharField(_("Herkunft"), max_length=20, choices=Source.choices)
    pipeline = models.CharField(_("Pipeline"), max_length=100, blank=True, db_index=True)
    fetch_url = models.URLField(_("Abrufadresse"), max_length=500, blank=True)
    disclosure = models.CharField(
        _("Geheimhaltung"), max_length=20, choices=Disclosure.choices, default=Disclosure.NONE
    )
    min_count = models.PositiveSmallIntegerField(_("Mindestfallzahl"), default=5)
    dimensions = models.JSONField(_("Merkmale"), default=list)
    measures = models.JSONField(_("geschützte Zählspalten"), default=list)
    state = models.CharField(_("Status"), max_length=20, choices=State.choices)
    current = models.ForeignKey(
        "Release",
        verbose_name=_("aktuelle Version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    modified_at = models.DateTimeField(_("Metadaten geändert"), auto_now=True)
    # The facet values ("field=value" lines), so a search counts facets from the rows it
    # reads anyway instead of grouping the index (``services.search``).
    facet_values = models.TextField(default="", editable=False)

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["-modified_at", "id"], name="opendata_dataset_newest")]
        verbose_name = _("Datensatz")
        verbose_name_plural = _("Datensätze")

    def __str__(self) -> str:
        return self.title

    @property
    def licence_title(self) -> str:
        return str(LICENCES.get(self.licence, (self.licence, "", ""))[0])

    @property
    def licence_url(self) -> str:
        return LICENCES.get(self.licence, ("", "", ""))[1]

    @property
    def licence_id(self) -> str:
        """The Open Definition id (what a Frictionless data package names)."""
        return LICENCES.get(self.licence, ("", "", self.licence))[2]


# What lists and searches load of a release: never its files.
FILE_FIELDS = ("csv", "geojson", "package")


class Release(models.Model):
    """One version of a data set's content. Its files never change after publication; a
    held release (the scanner or the disclosure audit objected) waits for a data steward."""

    class State(models.TextChoices):
        HELD = "held", _("zurückgehalten")
        PUBLISHED = "published", _("veröffentlicht")
        REJECTED = "rejected", _("verworfen")

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="releases")
    number = models.PositiveIntegerField(_("Version"))
    state = models.CharField(_("Status"), max_length=20, choices=State.choices)
    created_at = models.DateTimeField(_("erstellt"))
    published_at = models.DateTimeField(_("veröffentlicht"), null=True, blank=True)
    columns = models.JSONField(_("Spalten"), default=list)
    row_count = models.PositiveIntegerField(_("Zeilen"), default=0)
    csv = models.BinaryField()
    geojson = models.BinaryField(null=True, blank=True)
    package = models.BinaryField(null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 des Datenpakets"), max_length=64, blank=True)
    # format → {"bytes": …, "sha256": …} of the frozen files, so lists never load them.
    files = models.JSONField(default=dict, blank=True)
    notes = models.TextField(_("Hinweise zur Version"), blank=True)
    disclosure_report = models.JSONField(default=dict, blank=True)
    pattern = models.JSONField(default=list, blank=True)
    source_name = models.CharField(_("Quelldatei"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["dataset", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "number"], name="opendata_release_once")
        ]
        verbose_name = _("Version")
        verbose_name_plural = _("Versionen")

    def __str__(self) -> str:
        return f"{self.dataset.slug} v{self.number}"


class Finding(models.Model):
    """What the personal-data scanner found in a column of a release; the release stays held
    until a data steward overrides every finding with a reason (kept, with who and when)."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="findings")
    column = models.CharField(_("Spalte"), max_length=200)
    kind = models.CharField(_("Art"), max_length=40)
    message = models.TextField(_("Befund"))
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("Begründung der Freigabe"), blank=True)

    class Meta:
        ordering = ["release", "pk"]
        verbose_name = _("Befund")
        verbose_name_plural = _("Befunde")

    def __str__(self) -> str:
        return self.message


class Resource(models.Model):
    """A distribution of a data set (CKAN's resource): a stable id and address that always
    serve the current release in one format."""

    class Format(models.TextChoices):
        CSV = "CSV", "CSV"
        JSON = "JSON", "JSON"
        GEOJSON = "GeoJSON", "GeoJSON"
        PACKAGE = "datapackage", _("Datenpaket (Frictionless)")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="resources")
    format = models.CharField(max_length=20, choices=Format.choices)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dataset", "position"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "format"], name="opendata_resource_once")
        ]

    def __str__(self) -> str:
        return f"{self.dataset.slug} {self.format}"


class StoreRow(models.Model):
    """One row of a data set's current release, for ``datastore_search`` (``_id`` = number).

    ``text`` is the row's values in lower case, for ``q``; the values keep their JSON types.
    """

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    text = models.TextField(default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dataset", "number"], name="opendata_row_once")
        ]

    def __str__(self) -> str:
        return f"{self.dataset_id}#{self.number}"


class SearchTerm(models.Model):
    """What ``package_search`` finds a data set by: its words (``field`` "text", stemmed)
    and its facet values (``tags``, ``organization``, ``groups``, ``res_format``,
    ``license_id``), one row each, so a search and its facets are index lookups on every
    database."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="+")
    field = models.CharField(max_length=20)
    value = models.CharField(max_length=200)

    class Meta:
        indexes = [models.Index(fields=["field", "value", "dataset"], name="opendata_term")]

    def __str__(self) -> str:
        return f"{self.field}:{self.value}"


class Fetch(models.Model):
    """The last scheduled fetch of a data set's configured address (ETag and hash, so an
    unchanged file makes no new release)."""

    dataset = models.OneToOneField(Dataset, on_delete=models.CASCADE, related_name="fetch")
    checked_at = models.DateTimeField(null=True, blank=True)
    etag = models.CharField(max_length=200, blank=True)
    content_sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.dataset.slug
