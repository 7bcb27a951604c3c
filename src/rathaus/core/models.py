"""Platform records that every module shares: the audit trail, feedback, worker heartbeats."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One thing that happened, written by a service function, never edited afterwards.

    ``changes`` maps a field name to ``[old, new]`` so a reader sees what changed
    without comparing versions; ``actor_label`` keeps the name even when the
    account is gone.
    """

    created_at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True, db_index=True)
    action = models.CharField(_("Aktion"), max_length=100, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Ausgeführt von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("Ausgeführt von (Name)"), max_length=150, blank=True)
    object_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("Objekt"), max_length=200, blank=True)
    changes = models.JSONField(_("Änderungen"), default=dict, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokoll")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%d.%m.%Y %H:%M} {self.action} {self.object_repr}"


class AccessibilityFeedback(models.Model):
    """A barrier reported through the accessibility statement (BITV 2.0 § 7 feedback)."""

    created_at = models.DateTimeField(_("Eingegangen am"), auto_now_add=True)
    name = models.CharField(_("Name"), max_length=150, blank=True)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    page_url = models.CharField(_("Betroffene Seite"), max_length=500, blank=True)
    message = models.TextField(_("Nachricht"))
    handled = models.BooleanField(_("Erledigt"), default=False)

    class Meta:
        verbose_name = _("Rückmeldung zur Barrierefreiheit")
        verbose_name_plural = _("Rückmeldungen zur Barrierefreiheit")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%d.%m.%Y} {self.message[:60]}"


class WorkerHeartbeat(models.Model):
    """Written by every running ``rathaus worker`` so ``rathaus check`` can tell it is alive."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=200)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"


class PeriodicRun(models.Model):
    """A daily job was enqueued for this day; the unique pair stops a second worker doing it too."""

    name = models.CharField(max_length=200)
    day = models.DateField()
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "day"], name="unique_periodic_run")]

    def __str__(self) -> str:
        return f"{self.name} {self.day:%d.%m.%Y}"


class SentMail(models.Model):
    """An e-mail the mail server has accepted, by its ``Message-ID``: a task that runs again
    after its worker died skips it (``tasks.deliver_once``). No address, no content."""

    message_id = models.CharField(max_length=255, unique=True)
    sent_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.message_id
