"""Applications (Anträge) from the first draft to the decision (Bescheid) and deletion.

A service's form is data: a ``FormDraft`` that staff edit in the back office,
published as an immutable ``FormDefinition`` version. An ``Application`` keeps the
version it was made with. Its answers are stored with the case, not the account.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rathaus.accounts.models import Person, Representation
from rathaus.catalog.models import Service
from rathaus.core.channels import Channel
from rathaus.offices.models import Office


class FormDefinition(models.Model):
    """One published, never changed version of a service's form (the schema is JSON)."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="form_versions")
    version = models.PositiveIntegerField(_("Version"))
    schema = models.JSONField(_("Formular"))
    published_at = models.DateTimeField(_("Veröffentlicht am"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("Formularversion")
        verbose_name_plural = _("Formularversionen")
        ordering = ["service", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["service", "version"], name="unique_form_version")
        ]

    def __str__(self) -> str:
        return f"{self.service} – Version {self.version}"


class FormDraft(models.Model):
    """The editable form of a service, built from pages and fields in the back office."""

    service = models.OneToOneField(
        Service, verbose_name=_("Leistung"), on_delete=models.CASCADE, related_name="form_draft"
    )
    intro = models.TextField(_("Einleitung"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Formular (Entwurf)")
        verbose_name_plural = _("Formulare")

    def __str__(self) -> str:
        return str(self.service)


class DraftPage(models.Model):
    draft = models.ForeignKey(FormDraft, on_delete=models.CASCADE, related_name="pages")
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    title = models.CharField(_("Überschrift"), max_length=150)
    intro = models.TextField(_("Einleitung"), blank=True)

    class Meta:
        verbose_name = _("Seite")
        verbose_name_plural = _("Seiten")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class DraftField(models.Model):
    """One question of the form, in the order and on the page staff chose."""

    class Type(models.TextChoices):
        TEXT = "text", _("Text (eine Zeile)")
        TEXTAREA = "textarea", _("Langer Text")
        NUMBER = "number", _("Zahl")
        MONEY = "money", _("Geldbetrag")
        DATE = "date", _("Datum")
        CHOICE = "choice", _("Auswahl (eine)")
        MULTICHOICE = "multichoice", _("Auswahl (mehrere)")
        YESNO = "yesno", _("Ja/Nein")
        ADDRESS = "address", _("Anschrift")
        IBAN = "iban", _("IBAN")
        EMAIL = "email", _("E-Mail-Adresse")
        PHONE = "phone", _("Telefonnummer")
        FILE = "file", _("Datei-Upload")
        GROUP = "group", _("Wiederholbare Gruppe")

    draft = models.ForeignKey(FormDraft, on_delete=models.CASCADE, related_name="fields")
    page = models.ForeignKey(
        DraftPage, verbose_name=_("Seite"), on_delete=models.CASCADE, related_name="fields"
    )
    group = models.ForeignKey(
        "self",
        verbose_name=_("Gehört zur Gruppe"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="members",
        limit_choices_to={"type": "group"},
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    key = models.SlugField(_("Kennung"), max_length=60, help_text=_("Kurzname, z. B. dachflaeche"))
    type = models.CharField(_("Art"), max_length=20, choices=Type.choices)
    label = models.CharField(_("Frage"), max_length=300)
    help_text = models.TextField(_("Hilfetext"), blank=True)
    required = models.BooleanField(_("Pflichtfeld"), default=True)
    options = models.TextField(
        _("Auswahlmöglichkeiten"), blank=True, help_text=_("Eine pro Zeile: wert|Beschriftung")
    )
    visible_if_field = models.SlugField(_("Nur zeigen, wenn Feld"), max_length=60, blank=True)
    visible_if_value = models.CharField(_("… diesen Wert hat"), max_length=100, blank=True)
    min_value = models.DecimalField(
        _("Mindestens"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("Höchstens"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    max_length = models.PositiveIntegerField(_("Höchstlänge (Zeichen)"), null=True, blank=True)
    pattern = models.CharField(_("Muster (regulärer Ausdruck)"), max_length=200, blank=True)
    pattern_message = models.CharField(
        _("Meldung, wenn das Muster nicht passt"), max_length=200, blank=True
    )
    date_rule = models.CharField(
        _("Datum"),
        max_length=10,
        blank=True,
        choices=[("past", _("in der Vergangenheit")), ("future", _("in der Zukunft"))],
    )
    max_size_mb = models.PositiveSmallIntegerField(_("Höchstgröße (MB)"), null=True, blank=True)
    accept = models.CharField(
        _("Erlaubte Dateiarten"), max_length=100, blank=True, help_text=_("z. B. pdf,jpeg,png")
    )
    max_items = models.PositiveSmallIntegerField(
        _("Höchstens (Gruppen/Dateien)"), null=True, blank=True
    )
    purpose = models.CharField(
        _("Wofür (personenbezogene Daten)"),
        max_length=300,
        blank=True,
        help_text=_("Steht neben dem Feld: warum die Stadt diese Angabe braucht."),
    )

    class Meta:
        verbose_name = _("Feld")
        verbose_name_plural = _("Felder")
        ordering = ["page__position", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "key"], name="unique_field_key_per_form")
        ]

    def __str__(self) -> str:
        return self.label


class Application(models.Model):
    """A resident's request for a service, online or on paper, and the case it becomes."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        RECEIVED = "received", _("eingegangen")
        IN_PROGRESS = "in_progress", _("in Bearbeitung")
        QUERY = "query", _("Rückfrage")
        DECIDED = "decided", _("entschieden")
        CLOSED = "closed", _("abgeschlossen")
        WITHDRAWN = "withdrawn", _("zurückgezogen")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(
        _("Aktenzeichen"), max_length=30, unique=True, null=True, blank=True
    )
    service = models.ForeignKey(
        Service, verbose_name=_("Leistung"), on_delete=models.PROTECT, related_name="+"
    )
    form = models.ForeignKey(FormDefinition, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="applications"
    )
    on_behalf = models.ForeignKey(
        Representation,
        verbose_name=_("In Vertretung"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(
        _("Eingang"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("Zuständig"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Bearbeitet von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_applications",
    )
    attention = models.BooleanField(
        _("Neue Antwort"), default=False, help_text=_("Die antragstellende Person hat geantwortet.")
    )
    answers = models.JSONField(default=dict, blank=True)
    cleaned = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    received_on = models.DateField(_("Eingegangen am"), null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField(_("Frist"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    draft_expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    retain_until = models.DateField(null=True, blank=True, db_index=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Antrag")
        verbose_name_plural = _("Anträge")
        ordering = ["-submitted_at", "-created_at"]
        indexes = [
            # The inbox reads cases in deadline order and stops after one page.
            models.Index(fields=["due_on", "submitted_at", "id"], name="application_inbox_order"),
            models.Index(fields=["office", "status", "due_on"]),
            models.Index(fields=["office", "submitted_at"]),
            models.Index(fields=["assignee", "status"]),
            models.Index(fields=["applicant", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.reference or f"Entwurf {self.public_id.hex[:8]}"

    @property
    def subject_id(self) -> uuid.UUID:
        """Whose personal data this is, for the access log."""
        if self.applicant_id:
            return self.applicant.public_id
        if self.person_id:
            return self.person.public_id
        return self.public_id


class Event(models.Model):
    """Something that happened to a case: the status history, notes, questions, decisions."""

    class Kind(models.TextChoices):
        STATUS = "status", _("Status")
        ASSIGNED = "assigned", _("Zuweisung")
        NOTE = "note", _("Interne Notiz")
        QUESTION = "question", _("Rückfrage")
        ANSWER = "answer", _("Antwort")
        DECISION = "decision", _("Bescheid")
        FILE = "file", _("Dokument")

    VISIBLE_TO_APPLICANT = {Kind.STATUS, Kind.QUESTION, Kind.ANSWER, Kind.DECISION}

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["application", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.get_kind_display()}"

    def get_to_status_display(self) -> str:
        return Application.Status(self.to_status).label if self.to_status else ""


class Question(models.Model):
    """A Rückfrage: the caseworker asks, the applicant answers online (text and files)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="questions")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(_("Rückfrage"))
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("Antwort"), blank=True)

    class Meta:
        ordering = ["asked_at"]

    def __str__(self) -> str:
        return f"Rückfrage {self.asked_at:%d.%m.%Y}"


def _upload_path(instance: "StoredFile", filename: str) -> str:
    # Random names outside the web root; the original name is kept in the row.
    return f"antraege/{instance.application.public_id}/{uuid.uuid4().hex}"


class StoredFile(models.Model):
    """An uploaded file (evidence, an answer's attachment, a scan of a paper application)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    field_key = models.CharField(max_length=60, blank=True)
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(upload_to=_upload_path, max_length=300)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Decision(models.Model):
    """The Bescheid: what was decided, why, and the legal remedy."""

    class Kind(models.TextChoices):
        APPROVAL = "approval", _("Bewilligung")
        PARTIAL = "partial", _("Teilbewilligung")
        REJECTION = "rejection", _("Ablehnung")

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="decision"
    )
    kind = models.CharField(_("Entscheidung"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(
        _("Bewilligter Betrag"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    reasoning = models.TextField(_("Begründung"))
    legal_remedy = models.TextField(_("Rechtsbehelfsbelehrung"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.application}"


def _document_path(instance: "Document", filename: str) -> str:
    return f"dokumente/{instance.application.public_id}/{uuid.uuid4().hex}.pdf"


class Document(models.Model):
    """A PDF the city produced for a case: the receipt, the decision."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Eingangsbestätigung")
        DECISION = "decision", _("Bescheid")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to=_document_path, max_length=300)
    sha256 = models.CharField(max_length=64)
    verification_code = models.CharField(max_length=20, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.application}"


class ReferenceCounter(models.Model):
    """The last reference number given out in a year (DUS-2026-000123)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
