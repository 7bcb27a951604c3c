"""Participation: processes with phases, drafts put out for comment section by section, the
residents' comments, replies and supports, the office's public responses, moderation, and
participatory budgets with their ballots and results.

A resident's words are theirs: no model here has a way for staff to change a comment's text;
moderation hides a comment behind a public placeholder that names the reason.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rathaus.core import channels
from rathaus.core.channels import Channel

# How a contribution reached the city: online by the resident, or typed in by staff from a
# letter, a call or an event (the assisted channel).
CHANNELS = (Channel.ONLINE, Channel.PAPER, Channel.COUNTER, Channel.PHONE)


class Process(models.Model):
    """A participation process: what the city asks residents about, owned by one office."""

    office = models.ForeignKey(
        "offices.Office",
        verbose_name=_("Verantwortliche Stelle"),
        on_delete=models.PROTECT,
        related_name="participation_processes",
    )
    slug = models.SlugField(_("Kurzname in der Adresse"), unique=True, max_length=100)
    title = models.CharField(_("Titel"), max_length=200)
    summary = models.CharField(_("Kurzbeschreibung"), max_length=300)
    description = models.TextField(_("Beschreibung"))
    easy_language = models.TextField(_("Beschreibung in Leichter Sprache"), blank=True)
    district = models.ForeignKey(
        "offices.District",
        verbose_name=_("Stadtbezirk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Leer lassen, wenn die Beteiligung die ganze Stadt betrifft."),
    )
    committee = models.ForeignKey(
        "council.Organization",
        verbose_name=_("Begleitendes Gremium"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participation_processes",
        help_text=_("Das Gremium des Rates, das über das Ergebnis berät."),
    )
    papers = models.ManyToManyField(
        "council.Paper",
        verbose_name=_("Drucksachen"),
        blank=True,
        related_name="participation_processes",
        help_text=_("Drucksachen, aus denen die Beteiligung hervorging oder zu denen sie führte."),
    )
    assisted = models.BooleanField(
        _("Beiträge ohne Konto über Mitarbeitende"),
        default=True,
        help_text=_(
            "Mitarbeitende dürfen Beiträge erfassen, die per Brief, Telefon oder an einem "
            "Infostand eingehen."
        ),
    )
    support_threshold = models.PositiveIntegerField(
        _("Schwelle für eine offizielle Antwort"),
        default=25,
        help_text=_(
            "Vorschläge mit so vielen Unterstützungen beantwortet die Verwaltung offiziell "
            "(0: jeder Vorschlag)."
        ),
    )
    published = models.BooleanField(_("Veröffentlicht"), default=False)
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    # Makes the identity of a person voting on paper unrecognisable outside this process.
    salt = models.CharField(max_length=64, default=secrets.token_hex, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Beteiligungsverfahren")
        verbose_name_plural = _("Beteiligungsverfahren")

    def __str__(self) -> str:
        return self.title

    def phase_at(self, now=None) -> "Phase | None":
        """The phase running at ``now`` (phases do not overlap)."""
        now = now or timezone.now()
        return (
            self.phases.filter(starts_at__lte=now)
            .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
            .first()
        )


class Phase(models.Model):
    class Kind(models.TextChoices):
        INFORMATION = "information", _("Information")
        PROPOSALS = "proposals", _("Vorschläge")
        DISCUSSION = "discussion", pgettext_lazy("Phase", "Diskussion")
        VOTING = "voting", _("Abstimmung")
        RESULTS = "results", _("Ergebnisse")
        IMPLEMENTATION = "implementation", _("Umsetzung")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("Phase")
        verbose_name_plural = _("Phasen")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="participation_phase_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class Document(models.Model):
    """A document of the process for everyone to read (a PDF)."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("Titel"), max_length=200)
    file = models.FileField(_("Datei (PDF)"), upload_to="beteiligung/%Y/")
    size = models.PositiveIntegerField(_("Größe in Bytes"), default=0, editable=False)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("Dokument")
        verbose_name_plural = _("Dokumente")

    def __str__(self) -> str:
        return self.title


class Draft(models.Model):
    """A text the city puts out for comment, section by section."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="drafts")
    title = models.CharField(_("Titel"), max_length=200)
    introduction = models.TextField(_("Einleitung"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("Entwurf")
        verbose_name_plural = _("Entwürfe")

    def __str__(self) -> str:
        return self.title


class Section(models.Model):
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="sections")
    number = models.CharField(_("Nummer"), max_length=10)
    heading = models.CharField(_("Überschrift"), max_length=200)
    text = models.TextField(_("Text"))
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("Abschnitt")
        verbose_name_plural = _("Abschnitte")

    def __str__(self) -> str:
        return f"{self.number} {self.heading}"


class Participant(models.Model):
    """How a resident appears in participation: the name they chose to be shown."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participant"
    )
    public_name = models.CharField(_("Angezeigter Name"), max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Teilnehmende Person")
        verbose_name_plural = _("Teilnehmende")

    def __str__(self) -> str:
        return self.public_name


class Response(models.Model):
    """The office's public answer to one comment or a group of comments."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="responses")
    text = models.TextField(_("Antwort"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("Veröffentlicht am"), default=timezone.now)

    class Meta:
        ordering = ["published_at"]
        verbose_name = _("Antwort der Verwaltung")
        verbose_name_plural = _("Antworten der Verwaltung")

    def __str__(self) -> str:
        return f"{self.process}: {self.text[:60]}"


class Contribution(models.Model):
    """What a resident writes in a process (a comment; proposals follow): who is shown as its
    author, how it reached the city, and what moderation or the author did to it."""

    author = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="%(class)ss"
    )
    # The name shown, as it was when written ("" once the account is gone).
    public_name = models.CharField(_("Angezeigter Name"), max_length=60, blank=True)
    channel = models.CharField(
        _("Eingang"), max_length=20, choices=channels.choices(*CHANNELS), default=Channel.ONLINE
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Wer den Beitrag für eine Person ohne Konto erfasst hat."),
    )
    created_at = models.DateTimeField(_("Geschrieben am"), default=timezone.now)
    # Withdrawn by its author: the text is gone, the place stays.
    withdrawn_at = models.DateTimeField(_("Zurückgezogen am"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("Ausgeblendet am"), null=True, blank=True)
    hidden_reason = models.CharField(_("Grund für das Ausblenden"), max_length=300, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def shown(self) -> bool:
        """Is the text on the public page (neither hidden nor withdrawn)?"""
        return self.hidden_at is None and self.withdrawn_at is None


class Comment(Contribution):
    """A resident's comment on a section, or a reply to one (one level deep)."""

    class Stance(models.TextChoices):
        SUPPORT = "support", _("Zustimmung")
        OPPOSE = "oppose", _("Ablehnung")
        NEUTRAL = "neutral", _("Anmerkung")

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    stance = models.CharField(
        _("Haltung"), max_length=10, choices=Stance.choices, default=Stance.NEUTRAL
    )
    text = models.TextField(_("Text"))
    response = models.ForeignKey(
        Response, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("Kommentar")
        verbose_name_plural = _("Kommentare")
        indexes = [models.Index(fields=["section", "parent", "created_at"])]

    def __str__(self) -> str:
        return f"{self.section.number}: {self.text[:60]}"


class Category(models.Model):
    """A topic proposals of a process are sorted by."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("Name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Kategorie")
        verbose_name_plural = _("Kategorien")
        constraints = [
            models.UniqueConstraint(fields=["process", "name"], name="participation_category_once")
        ]

    def __str__(self) -> str:
        return self.name


class Proposal(Contribution):
    """A resident's proposal: supported by others, checked and answered by the office."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("eingereicht")
        UNDER_REVIEW = "under_review", _("in Prüfung")
        ACCEPTED = "accepted", _("angenommen")
        REJECTED = "rejected", _("abgelehnt")
        IMPLEMENTED = "implemented", _("umgesetzt")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="proposals")
    title = models.CharField(_("Titel"), max_length=120)
    text = models.TextField(_("Beschreibung"))
    district = models.ForeignKey(
        "offices.District",
        verbose_name=_("Stadtbezirk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    category = models.ForeignKey(
        Category, verbose_name=_("Kategorie"), on_delete=models.PROTECT, null=True, blank=True
    )
    location = models.CharField(_("Ort"), max_length=200, blank=True)
    image = models.FileField(_("Bild"), upload_to="beteiligung/vorschlaege/%Y/", blank=True)
    image_alt = models.CharField(_("Bildbeschreibung"), max_length=300, blank=True)
    status = models.CharField(
        _("Stand"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    cost = models.PositiveIntegerField(_("Geschätzte Kosten (Euro)"), null=True, blank=True)
    # When the supports first reached the process's threshold: from then on an answer is due.
    threshold_reached_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Vorschlag")
        verbose_name_plural = _("Vorschläge")

    def __str__(self) -> str:
        return self.title


class StatusChange(models.Model):
    """A step in a proposal's history, with the office's public statement."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(_("Stand"), max_length=20, choices=Proposal.Status.choices)
    reason = models.TextField(_("Begründung"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("Geändert am"), default=timezone.now)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("Änderung des Stands")
        verbose_name_plural = _("Änderungen des Stands")

    def __str__(self) -> str:
        return f"{self.proposal}: {self.get_status_display()}"


class Backing(models.Model):
    """One person backs a contribution; once per person (each subclass's unique constraint)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk} ({self.user_id})"


class ProposalSupport(Backing):
    """One person supports one proposal, once."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")

    class Meta:
        verbose_name = _("Unterstützung eines Vorschlags")
        verbose_name_plural = _("Unterstützungen von Vorschlägen")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "user"], name="participation_proposal_support_once"
            )
        ]


class Support(Backing):
    """One person supports one comment, once."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="supports")

    class Meta:
        verbose_name = _("Unterstützung")
        verbose_name_plural = _("Unterstützungen")
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="participation_support_once")
        ]


class Report(models.Model):
    """A resident reports a comment that breaks the community guidelines."""

    class Reason(models.TextChoices):
        INSULT = "insult", _("Beleidigung oder Herabwürdigung")
        HATE = "hate", _("Diskriminierung oder Hetze")
        PRIVACY = "privacy", _("Persönliche Daten anderer Menschen")
        ADVERTISING = "advertising", _("Werbung oder Spam")
        OFF_TOPIC = "off_topic", _("Kein Bezug zum Thema")
        OTHER = "other", _("Anderer Grund")

    class Decision(models.TextChoices):
        HIDDEN = "hidden", _("Ausgeblendet")
        KEPT = "kept", _("Bleibt sichtbar")

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("Grund"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("Erläuterung"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("Gemeldet am"), default=timezone.now)
    decision = models.CharField(
        _("Entscheidung"), max_length=10, choices=Decision.choices, blank=True
    )
    decided_at = models.DateTimeField(_("Entschieden am"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("Meldung")
        verbose_name_plural = _("Meldungen")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="participation_report_once"
            ),
            models.UniqueConstraint(
                fields=["proposal", "reporter"], name="participation_proposal_report_once"
            ),
            models.CheckConstraint(
                condition=Q(comment__isnull=False, proposal__isnull=True)
                | Q(comment__isnull=True, proposal__isnull=False),
                name="participation_report_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.comment_id or self.proposal_id})"


class Budget(models.Model):
    """A participatory budget: an amount residents divide among projects by their votes."""

    class Rule(models.TextChoices):
        GREEDY = "greedy", _("Meiste Stimmen zuerst")
        EQUAL_SHARES = "equal_shares", _("Methode der gleichen Anteile")

    class BallotKind(models.TextChoices):
        APPROVAL = "approval", _("Projekte auswählen (zusammen im Rahmen des Budgets)")
        POINTS = "points", _("Punkte auf Projekte verteilen")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="budgets")
    title = models.CharField(_("Titel"), max_length=200)
    district = models.ForeignKey(
        "offices.District",
        verbose_name=_("Stadtbezirk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Leer lassen, wenn das Budget für die ganze Stadt gilt."),
    )
    amount = models.PositiveIntegerField(_("Budget (Euro)"))
    rule = models.CharField(
        _("Regel für das Ergebnis"), max_length=20, choices=Rule.choices, default=Rule.GREEDY
    )
    ballot = models.CharField(
        _("Stimmzettel"), max_length=20, choices=BallotKind.choices, default=BallotKind.APPROVAL
    )
    points = models.PositiveSmallIntegerField(
        _("Punkte je Person"),
        default=10,
        help_text=_("Nur für Stimmzettel mit Punkten: so viele Punkte verteilt jede Person."),
    )
    district_check = models.BooleanField(
        _("Nur für Menschen aus dem Stadtbezirk"),
        default=False,
        help_text=_(
            "Wer abstimmt, gibt den Stadtteil an, in dem sie oder er wohnt; Stimmen aus "
            "anderen Stadtbezirken werden nicht angenommen."
        ),
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("Bürgerbudget")
        verbose_name_plural = _("Bürgerbudgets")
        constraints = [
            models.CheckConstraint(
                condition=~Q(rule="equal_shares", ballot="points"),
                name="participation_equal_shares_needs_approval",
                violation_error_message=_(
                    "Die Methode der gleichen Anteile braucht Stimmzettel mit Auswahl von "
                    "Projekten, keine Punkte."
                ),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="participation_budget_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Project(models.Model):
    """An accepted proposal on a budget's ballot, with its number and estimated cost."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="projects")
    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("Vorschlag"),
        on_delete=models.PROTECT,
        related_name="budget_projects",
    )
    # Breaks ties: of two projects the rule cannot tell apart, the lower number wins.
    number = models.PositiveSmallIntegerField(_("Nummer"))
    cost = models.PositiveIntegerField(_("Kosten (Euro)"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("Projekt zur Abstimmung")
        verbose_name_plural = _("Projekte zur Abstimmung")
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "number"], name="participation_project_number"
            ),
            models.UniqueConstraint(
                fields=["budget", "proposal"], name="participation_project_once"
            ),
            models.CheckConstraint(condition=Q(cost__gt=0), name="participation_project_cost"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.proposal.title}"


class Vote(models.Model):
    """That someone voted on a budget – not what: the ballot is stored apart, unlinked. One
    per person and process: of several district budgets a person votes on one."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="votes")
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A person voting on paper: a keyed hash of name and birth date, so that nobody votes twice.
    identity = models.CharField(max_length=64, blank=True)
    quarter = models.ForeignKey(
        "offices.Quarter",
        verbose_name=_("Angegebener Stadtteil"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    channel = models.CharField(
        _("Eingang"), max_length=20, choices=channels.choices(*CHANNELS), default=Channel.ONLINE
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cast_at = models.DateTimeField(_("Abgestimmt am"), default=timezone.now)

    class Meta:
        verbose_name = _("Stimmabgabe")
        verbose_name_plural = _("Stimmabgaben")
        constraints = [
            models.UniqueConstraint(
                fields=["process", "user"],
                condition=Q(user__isnull=False),
                name="participation_one_vote_per_account",
            ),
            models.UniqueConstraint(
                fields=["process", "identity"],
                condition=~Q(identity=""),
                name="participation_one_vote_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.budget}: {self.cast_at:%d.%m.%Y}"


class Ballot(models.Model):
    """What one person voted for, without who or when: a random key, no time, no link to the
    ``Vote`` – so that the ballot is secret even to the city's staff."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="ballots")

    class Meta:
        verbose_name = _("Stimmzettel")
        verbose_name_plural = _("Stimmzettel")

    def __str__(self) -> str:
        return str(self.pk)


class Choice(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="choices")
    points = models.PositiveSmallIntegerField(default=1)

    class Meta:
        verbose_name = _("Stimme für ein Projekt")
        verbose_name_plural = _("Stimmen für Projekte")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "project"], name="participation_choice_once"),
            models.CheckConstraint(condition=Q(points__gt=0), name="participation_choice_points"),
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.points}"


class Result(models.Model):
    """The counted result of a budget, as published: the document with projects, anonymised
    ballots, totals and every step of the rule, and its SHA-256 in the transparency log."""

    budget = models.OneToOneField(Budget, on_delete=models.CASCADE, related_name="result")
    document = models.TextField()
    sha256 = models.CharField(max_length=64)
    counted_at = models.DateTimeField(_("Ausgezählt am"), default=timezone.now)
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Ergebnis")
        verbose_name_plural = _("Ergebnisse")

    def __str__(self) -> str:
        return f"{self.budget}: {self.counted_at:%d.%m.%Y}"


class Survey(models.Model):
    """A questionnaire of a process, built with the applications form engine's field types.
    Open while its phase runs; answers are anonymous, stored apart from who answered."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="surveys")
    phase = models.ForeignKey(
        Phase,
        verbose_name=_("Offen während der Phase"),
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    title = models.CharField(_("Titel"), max_length=200)
    introduction = models.TextField(_("Einleitung"), blank=True)
    schema = models.JSONField(
        _("Fragen (JSON wie bei Antragsformularen)"),
        help_text=_(
            "Eine Seite mit Fragen der Arten text, textarea, number, date, choice, "
            "multichoice und yesno – wie beim Formular-Export der Anträge."
        ),
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("Umfrage")
        verbose_name_plural = _("Umfragen")

    def __str__(self) -> str:
        return self.title


class SurveyParticipation(models.Model):
    """That someone answered a survey (once), not what: online with an account, or on paper
    typed in by staff (``entered_by``), the person kept only as a keyed hash."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    identity = models.CharField(max_length=64, blank=True)
    channel = models.CharField(
        _("Eingang"), max_length=20, choices=channels.choices(*CHANNELS), default=Channel.ONLINE
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Teilnahme an einer Umfrage")
        verbose_name_plural = _("Teilnahmen an Umfragen")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"],
                condition=Q(user__isnull=False),
                name="participation_survey_once",
            ),
            models.UniqueConstraint(
                fields=["survey", "identity"],
                condition=~Q(identity=""),
                name="participation_survey_once_on_paper",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} ({self.pk})"


class SurveyAnswer(models.Model):
    """One person's answers, by question key – without who or when (a random key)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="answers")
    values = models.JSONField()

    class Meta:
        verbose_name = _("Antworten auf eine Umfrage")
        verbose_name_plural = _("Antworten auf Umfragen")

    def __str__(self) -> str:
        return str(self.pk)
