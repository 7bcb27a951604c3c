"""The council information system: what the city's council and its committees do in
public, in the data model of OParl 1.1 (the German standard of council information
systems), so that the pages here and every OParl client read the same records.

Every record keeps ``created_at``/``modified_at`` and is never deleted from the table: OParl
clients keep copies and must learn what disappeared, so a withdrawn record is marked
``deleted`` (``services.withdraw``) and keeps only its identity in the API. Persons carry
only what the council publishes anyway: name, form of address, title and memberships – no
address, no telephone, no e-mail.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = [
    "AgendaItem",
    "Body",
    "Consultation",
    "File",
    "LegislativeTerm",
    "Location",
    "Meeting",
    "Membership",
    "Organization",
    "Paper",
    "Person",
    "Record",
]


class Record(models.Model):
    """What every OParl object has: its times and the mark of a withdrawn record."""

    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True, db_index=True)
    modified_at = models.DateTimeField(_("Geändert am"), auto_now=True, db_index=True)
    deleted = models.BooleanField(_("Zurückgezogen"), default=False)

    class Meta:
        abstract = True


class Location(Record):
    body = models.ForeignKey("Body", on_delete=models.PROTECT, related_name="locations", null=True)
    description = models.CharField(_("Bezeichnung"), max_length=200)
    street_address = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    room = models.CharField(_("Raum"), max_length=100, blank=True)
    postal_code = models.CharField(_("Postleitzahl"), max_length=10, blank=True)
    locality = models.CharField(_("Ort"), max_length=100, blank=True)
    sub_locality = models.CharField(_("Stadtteil"), max_length=100, blank=True)
    latitude = models.DecimalField(_("Breite"), max_digits=8, decimal_places=5, null=True)
    longitude = models.DecimalField(_("Länge"), max_digits=8, decimal_places=5, null=True)

    class Meta:
        verbose_name = _("Ort")
        verbose_name_plural = _("Orte")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description


class Body(Record):
    """A Körperschaft: the city whose council this is."""

    name = models.CharField(_("Name"), max_length=200)
    short_name = models.CharField(_("Kurzname"), max_length=100, blank=True)
    ags = models.CharField(_("Amtlicher Gemeindeschlüssel"), max_length=8, blank=True)
    rgs = models.CharField(_("Regionalschlüssel"), max_length=12, blank=True)
    website = models.URLField(_("Website"), blank=True)
    contact_name = models.CharField(_("Ansprechstelle"), max_length=200, blank=True)
    contact_email = models.EmailField(_("E-Mail der Ansprechstelle"), blank=True)
    classification = models.CharField(_("Art"), max_length=100, blank=True)
    license = models.URLField(_("Lizenz der Daten"), blank=True)
    location = models.ForeignKey(
        Location, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    office = models.ForeignKey(
        "offices.Office",
        verbose_name=_("Zuständige Dienststelle"),
        help_text=_("Ihre Mitarbeitenden pflegen Sitzungen und Vorlagen."),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Körperschaft")
        verbose_name_plural = _("Körperschaften")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class LegislativeTerm(Record):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="terms")
    name = models.CharField(_("Name"), max_length=100)
    start_date = models.DateField(_("Beginn"))
    end_date = models.DateField(_("Ende"), null=True, blank=True)

    class Meta:
        verbose_name = _("Wahlperiode")
        verbose_name_plural = _("Wahlperioden")
        ordering = ["start_date", "pk"]

    def __str__(self) -> str:
        return self.name


class Organization(Record):
    """A Gremium (council, committee, district representation) or a Fraktion."""

    class Type(models.TextChoices):
        # OParl's fixed vocabulary of organizationType (German, as the standard writes it).
        BOARD = "Gremium", _("Gremium")
        GROUP = "Fraktion", _("Fraktion")
        PARTY = "Partei", _("Partei")
        ADMINISTRATION = "Verwaltungsbereich", _("Verwaltungsbereich")
        EXTERNAL = "externes Gremium", _("externes Gremium")
        INSTITUTION = "Institution", _("Institution")
        OTHER = "Sonstiges", _("Sonstiges")

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="organizations")
    name = models.CharField(_("Name"), max_length=200)
    short_name = models.CharField(_("Kurzname"), max_length=50, blank=True)
    organization_type = models.CharField(_("Art"), max_length=20, choices=Type.choices)
    classification = models.CharField(
        _("Einordnung"), max_length=100, blank=True, help_text=_("z. B. Ausschuss, Rat")
    )
    start_date = models.DateField(_("Gebildet am"), null=True, blank=True)
    end_date = models.DateField(_("Aufgelöst am"), null=True, blank=True)
    website = models.URLField(_("Website"), blank=True)
    location = models.ForeignKey(
        Location, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sub_organization_of = models.ForeignKey(
        "self", verbose_name=_("Teil von"), on_delete=models.SET_NULL, null=True, blank=True
    )
    description = models.TextField(_("Aufgaben"), blank=True)

    class Meta:
        verbose_name = _("Gremium oder Fraktion")
        verbose_name_plural = _("Gremien und Fraktionen")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Person(Record):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="persons")
    family_name = models.CharField(_("Nachname"), max_length=100)
    given_name = models.CharField(_("Vorname"), max_length=100)
    form_of_address = models.CharField(_("Anrede"), max_length=50, blank=True)
    title = models.CharField(
        _("Titel"), max_length=100, blank=True, help_text=_("z. B. Dr.; mehrere mit Komma")
    )
    status = models.CharField(
        _("Status"),
        max_length=200,
        blank=True,
        help_text=_("z. B. Ratsmitglied; mehrere mit Komma"),
    )

    class Meta:
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")
        ordering = ["family_name", "given_name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.title, self.given_name, self.family_name) if part)

    @property
    def titles(self) -> list[str]:
        return [part.strip() for part in self.title.split(",") if part.strip()]

    @property
    def statuses(self) -> list[str]:
        return [part.strip() for part in self.status.split(",") if part.strip()]


class Membership(Record):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("Rolle"), max_length=100, blank=True)
    voting_right = models.BooleanField(_("Stimmberechtigt"), default=True)
    start_date = models.DateField(_("Seit"), null=True, blank=True)
    end_date = models.DateField(_("Bis"), null=True, blank=True)
    on_behalf_of = models.ForeignKey(
        Organization,
        verbose_name=_("Für die Fraktion"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.person} – {self.organization}"


class File(Record):
    """A document of a meeting or a paper; kept as PDF/A where the office can."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="files")
    name = models.CharField(_("Titel"), max_length=200)
    file_name = models.CharField(_("Dateiname"), max_length=200)
    mime_type = models.CharField(_("Dateityp"), max_length=100, default="application/pdf")
    date = models.DateField(_("Datum"), null=True, blank=True)
    content = models.FileField(_("Datei"), upload_to="ratsinfo/%Y/")
    size = models.PositiveIntegerField(_("Größe in Bytes"), default=0)
    sha512 = models.CharField(_("SHA-512"), max_length=128, blank=True)
    archival = models.CharField(
        _("PDF/A-Stufe"),
        max_length=4,
        blank=True,
        help_text=_("Wie die Datei sich selbst ausweist, z. B. 3B; leer: kein PDF/A."),
    )
    text = models.TextField(_("Text der Datei"), blank=True)

    class Meta:
        verbose_name = _("Datei")
        verbose_name_plural = _("Dateien")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


def _document(label) -> models.ForeignKey:
    """A link to one document (invitation, minutes, main file); the document outlives it."""
    return models.ForeignKey(
        File, verbose_name=label, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )


def _documents(label) -> models.ManyToManyField:
    return models.ManyToManyField(File, verbose_name=label, blank=True, related_name="+")


class Meeting(Record):
    class State(models.TextChoices):
        SCHEDULED = "terminiert", pgettext_lazy("Sitzung", "terminiert")
        INVITED = "eingeladen", pgettext_lazy("Sitzung", "eingeladen")
        HELD = "durchgeführt", pgettext_lazy("Sitzung", "durchgeführt")

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    name = models.CharField(_("Name"), max_length=200)
    meeting_state = models.CharField(
        pgettext_lazy("Sitzung", "Stand"),
        max_length=20,
        choices=State.choices,
        default=State.SCHEDULED,
    )
    cancelled = models.BooleanField(_("Abgesagt"), default=False)
    start = models.DateTimeField(_("Beginn"), db_index=True)
    end = models.DateTimeField(_("Ende"), null=True, blank=True)
    location = models.ForeignKey(
        Location, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    organizations = models.ManyToManyField(
        Organization, verbose_name=_("Gremien"), related_name="meetings"
    )
    participants = models.ManyToManyField(
        Person, verbose_name=_("Teilnehmende"), blank=True, related_name="meetings"
    )
    invitation = _document(_("Einladung"))
    results_protocol = _document(_("Ergebnisprotokoll"))
    verbatim_protocol = _document(_("Wortprotokoll"))
    auxiliary_files = _documents(_("Weitere Dateien"))

    class Meta:
        verbose_name = _("Sitzung")
        verbose_name_plural = _("Sitzungen")
        ordering = ["start", "pk"]

    def __str__(self) -> str:
        return self.name


class AgendaItem(Record):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="agenda_items")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="agenda_items")
    number = models.CharField(_("Nummer"), max_length=20)
    order = models.PositiveSmallIntegerField(_("Position"))
    name = models.CharField(
        _("Thema"),
        max_length=300,
        help_text=_("Wird immer veröffentlicht, auch bei nichtöffentlichen Punkten."),
    )
    public = models.BooleanField(_("Öffentlich"), default=True)
    result = models.CharField(_("Ergebnis"), max_length=200, blank=True)
    resolution_text = models.TextField(_("Beschluss"), blank=True)
    resolution_file = _document(_("Beschluss als Datei"))
    auxiliary_files = _documents(_("Weitere Dateien"))

    class Meta:
        verbose_name = _("Tagesordnungspunkt")
        verbose_name_plural = _("Tagesordnungspunkte")
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="agenda_item_order_once")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class Paper(Record):
    """A Drucksache: a motion, a report, an inquiry or a draft resolution."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="papers")
    name = models.CharField(_("Titel"), max_length=300)
    reference = models.CharField(_("Drucksachennummer"), max_length=50, db_index=True)
    date = models.DateField(_("Datum"), db_index=True)
    paper_type = models.CharField(
        _("Art"), max_length=50, help_text=_("z. B. Antrag, Beschlussvorlage, Anfrage")
    )
    summary = models.TextField(_("Worum es geht"), blank=True)
    related_papers = models.ManyToManyField(
        "self", verbose_name=_("Verwandte Drucksachen"), blank=True
    )
    superordinated_papers = models.ManyToManyField(
        "self",
        verbose_name=_("Übergeordnete Drucksachen"),
        symmetrical=False,
        blank=True,
        related_name="subordinated_papers",
    )
    main_file = _document(_("Hauptdatei"))
    auxiliary_files = _documents(_("Anlagen"))
    locations = models.ManyToManyField(
        Location, verbose_name=_("Orte"), blank=True, related_name="papers"
    )
    originator_persons = models.ManyToManyField(
        Person, verbose_name=_("Eingereicht von (Personen)"), blank=True, related_name="papers"
    )
    originator_organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("Eingereicht von (Fraktionen, Verwaltung)"),
        blank=True,
        related_name="originated_papers",
    )
    under_direction_of = models.ManyToManyField(
        Organization,
        verbose_name=_("Federführung"),
        blank=True,
        related_name="directed_papers",
    )

    class Meta:
        verbose_name = _("Drucksache")
        verbose_name_plural = _("Drucksachen")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"


class Consultation(Record):
    """A paper's passage through one body: where it is discussed and in which role."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="consultations")
    paper = models.ForeignKey(Paper, on_delete=models.PROTECT, related_name="consultations")
    agenda_item = models.OneToOneField(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="consultation"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="consultations"
    )
    organizations = models.ManyToManyField(
        Organization, verbose_name=_("Gremien"), blank=True, related_name="consultations"
    )
    authoritative = models.BooleanField(_("Entscheidet abschließend"), default=False)
    role = models.CharField(
        _("Rolle"), max_length=100, blank=True, help_text=_("z. B. Vorberatung, Entscheidung")
    )

    class Meta:
        verbose_name = _("Beratung")
        verbose_name_plural = _("Beratungen")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.paper.reference}: {self.role}"
