"""Applications in an account's data export and on its deletion (accounts.services.privacy).

Registered in ``ApplicationsConfig.ready`` with ``privacy.register(DATA_SOURCE)``.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.accounts.models import User
from rathaus.accounts.services.privacy import Block, DataSource, Retained, on

from ..formdef.engine import FormSchema, display, validate_all
from ..models import Application, Event

__all__ = ["DATA_SOURCE"]


def export(user: User) -> list[dict]:
    rows = []
    applications = Application.objects.filter(applicant=user).select_related("service", "form")
    for application in applications.prefetch_related("events", "documents", "files"):
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
                    for e in application.events.all()
                    if e.kind in Event.VISIBLE_TO_APPLICANT
                ],
                "documents": [d.get_kind_display() for d in application.documents.all()],
                "files": [f.original_name for f in application.files.all()],
            }
        )
    return rows


def _answers(application: Application) -> list[tuple[str, str]]:
    """Question and answer as the review page shows them (a draft: what is valid so far)."""
    form = FormSchema(schema=application.form.schema, version=application.form.version)
    values = application.cleaned or validate_all(form, application.answers).values
    return [line for page in display(form, values) for line in page["lines"]]


def _event_line(event: Event) -> str:
    what = event.get_kind_display()
    if event.to_status:
        what += ": " + str(Application.Status(event.to_status).label)
    if event.text:
        what += f" – {event.text}"
    return f"{on(event.at, time=True)} – {what}"


def readable(user: User) -> list[Block]:
    """Each application in words: status, dates, the answers by question, its history."""
    blocks = []
    applications = Application.objects.filter(applicant=user).select_related("service", "form")
    for application in applications.prefetch_related("events", "documents", "files"):
        heading = (
            _("Antrag %(reference)s: %(service)s")
            % {"reference": application.reference, "service": application.service.title}
            if application.reference
            else _("Entwurf: %(service)s") % {"service": application.service.title}
        )
        facts = [
            (_("Status"), application.get_status_display()),
            (_("Begonnen am"), on(application.created_at)),
            (_("Eingereicht am"), on(application.submitted_at)),
            (_("Eingang"), application.get_channel_display()),
            *_answers(application),
        ]
        history = [
            _event_line(e) for e in application.events.all() if e.kind in Event.VISIBLE_TO_APPLICANT
        ]
        documents = [d.get_kind_display() for d in application.documents.all()]
        files = [f.original_name for f in application.files.all()]
        blocks.append(
            Block(
                heading=heading,
                facts=facts,
                lists=[
                    (_("Verlauf"), history),
                    (_("Dokumente der Stadt"), documents),
                    (_("Ihre Dateien"), files),
                ],
            )
        )
    return blocks


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


DATA_SOURCE = DataSource(
    key="applications",
    title=gettext_lazy("Ihre Anträge"),
    export=export,
    on_delete=on_delete,
    retention=retention,
    readable=readable,
    actions={
        "rathaus.applications.application.submitted": gettext_lazy("Antrag eingereicht"),
        "rathaus.applications.application.status_changed": gettext_lazy(
            "Status eines Antrags geändert (z. B. zurückgezogen)"
        ),
    },
)
