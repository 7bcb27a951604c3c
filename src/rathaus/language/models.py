"""What the language module keeps: machine translations of content and the opt-in quality
log of the service assistant."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class LoggedQuestion(models.Model):
    """A question a resident chose to share, anonymised: no account, address or time of day,
    e-mail addresses and numbers removed (``services.anonymise``)."""

    question = models.CharField(_("Frage"), max_length=200)
    language = models.CharField(_("Sprache"), max_length=10)
    easy = models.BooleanField(_("Leichte Sprache"), default=False)
    found = models.CharField(
        _("Gefundene Leistungen"),
        max_length=400,
        blank=True,
        help_text=_("Kurznamen, durch Kommas getrennt."),
    )
    day = models.DateField(_("Tag"), db_index=True)

    class Meta:
        verbose_name = _("Frage an den Assistenten")
        verbose_name_plural = _("Fragen an den Assistenten")
        ordering = ["-day", "-id"]

    def __str__(self) -> str:
        return self.question


class ContentTranslation(models.Model):
    """One field of one object (a service's summary, an offer's title) in one language, as a
    machine made it and staff may have reviewed it; ``source_hash`` says from which German
    text (``translations.texts`` translates again when it changes)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    # A model field ("summary") or a path in a form definition ("pages.0.fields.2.label").
    field = models.CharField(_("Feld"), max_length=120)
    language = models.CharField(_("Sprache"), max_length=10, choices=settings.LANGUAGES)
    source_hash = models.CharField(max_length=64)
    text = models.TextField(_("Übersetzung"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Geprüft von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("Geprüft am"), null=True, blank=True)
    updated_at = models.DateTimeField(_("Geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Übersetzung")
        verbose_name_plural = _("Übersetzungen")
        ordering = ["content_type", "object_id", "field", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"],
                name="unique_content_translation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} · {self.field} · {self.language}"

    @property
    def reviewed(self) -> bool:
        return self.reviewed_at is not None
