"""The receipt (Eingangsbestätigung): a PDF of everything submitted, made by the worker."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from rathaus.core import pdf

from ..formdef.engine import FormSchema, display
from ..models import Application, Document
from .documents import applicant_email, store_pdf


def render_receipt(application: Application) -> bytes:
    form = FormSchema(schema=application.form.schema, version=application.form.version)
    return pdf.render(
        "applications/pdf/receipt.html",
        {
            "application": application,
            "pages": display(form, application.cleaned),
            "files": application.files.all(),
            "rathaus": settings.RATHAUS,
        },
    )


@task()
def make_receipt(*, application_id: int) -> str:
    """Render and store the receipt once; mail it to the applicant when we know an address."""
    application = Application.objects.select_related("service", "form", "applicant", "person").get(
        pk=application_id
    )
    existing = application.documents.filter(kind=Document.Kind.RECEIPT).first()
    if existing:
        return existing.sha256
    content = render_receipt(application)
    document = store_pdf(application, Document.Kind.RECEIPT, content)
    if address := applicant_email(application):
        body = render_to_string(
            "applications/mail/receipt.txt",
            {
                "application": application,
                "path": reverse("applications:detail", args=[application.public_id]),
                "rathaus": settings.RATHAUS,
            },
        )
        message = EmailMessage(
            subject=_("Eingangsbestätigung %(reference)s") % {"reference": application.reference},
            body=body,
            to=[address],
        )
        message.attach(
            f"Eingangsbestaetigung-{application.reference}.pdf", content, "application/pdf"
        )
        message.send()
    return document.sha256
