"""Applications in an account's data export and on its deletion (accounts.services.privacy)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.accounts.models import User
from rathaus.accounts.services.privacy import DataSource, Retained, register

from ..models import Application, Event


def export(user: User) -> list[dict]:
    rows = []
    for application in Application.objects.filter(applicant=user).select_related("service", "form"):
        rows.append(
            {
                "reference": application.reference,
                "service": application.service.title,
                "status": application.get_status_display(),
                "created_at": application.created_at.isoformat(),
                "submitted_at": application.submitted_at.isoformat()
                if application.submitted_at
                else None,
                "form_version": application.form.version,
                "answers": application.cleaned or application.answers,
                "history": [
                    {
                        "at": e.at.isoformat(),
                        "what": e.get_kind_display(),
                        "status": e.to_status,
                        "text": e.text,
                    }
                    for e in application.events.filter(kind__in=Event.VISIBLE_TO_APPLICANT)
                ],
                "documents": [d.get_kind_display() for d in application.documents.all()],
                "files": [f.original_name for f in application.files.all()],
            }
        )
    return rows


def retention(user: User) -> list[Retained]:
    kept = []
    submitted = Application.objects.filter(applicant=user).exclude(status=Application.Status.DRAFT)
    for application in submitted.select_related("service"):
        until = application.retain_until
        kept.append(
            Retained(
                what=_("Antrag %(reference)s (%(service)s)")
                % {"reference": application.reference, "service": application.service.title},
                until=until,
                why=_(
                    "Aufbewahrungspflicht der Verwaltungsakte; ohne Verbindung zu Ihrem Konto. "
                    "Noch offene Anträge werden bis zur vorgeschriebenen Frist nach ihrem "
                    "Abschluss aufbewahrt."
                )
                if until is None
                else _("Aufbewahrungspflicht der Verwaltungsakte; ohne Verbindung zu Ihrem Konto."),
            )
        )
    return kept


def on_delete(user: User) -> list[Retained]:
    """Drafts go; submitted cases stay with their file but lose the link to the account."""
    kept = retention(user)
    Application.objects.filter(applicant=user, status=Application.Status.DRAFT).delete()
    return kept


def register_source() -> None:
    register(
        DataSource(
            key="applications",
            title=gettext_lazy("Ihre Anträge"),
            export=export,
            on_delete=on_delete,
            retention=retention,
        )
    )
