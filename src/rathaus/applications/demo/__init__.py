"""Demo forms (forms/*.json, published as version 1) and sample cases for the demo staff.

Runs after catalog and accounts. The services with a form get their online channel
pointed at the form and a paper channel at the printable PDF. Sample cases belong to
demo residents (accounts without passkeys) and show every status in the inbox. An archive
of decided green-roof applications of the two years before (``archive``, an Altbestand from
before the platform) gives the open-data tables periods that have ended.
"""

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rathaus.accounts.models import User
from rathaus.catalog.models import Service, ServiceChannel

from ..formdef.engine import FormSchema, validate_all
from ..formdef.schema import schema_to_draft
from ..models import Application, FormDefinition, FormDraft
from ..services import cases, decisions, drafts
from ..services import forms as form_service
from .archive import load_archive
from .filler import TINY_PDF, answers_for

FORMS = Path(__file__).resolve().parent / "forms"
SAMPLE_RESIDENTS = [
    "erika.mustermann@demo.duesseldorf.invalid",
    "max.beispiel@demo.duesseldorf.invalid",
]


def load_forms() -> list[Service]:
    services = []
    for path in sorted(FORMS.glob("*.json")):
        service = Service.objects.filter(slug=path.stem).first()
        if service is None:
            continue
        draft, created = FormDraft.objects.get_or_create(service=service)
        if created or not draft.fields.exists():
            schema_to_draft(json.loads(path.read_text(encoding="utf-8")), draft)
        if not FormDefinition.objects.filter(service=service).exists():
            form_service.publish(draft, by=None)
        _point_channels(service)
        services.append(service)
    return services


def _point_channels(service: Service) -> None:
    online = reverse("applications:start", args=[service.slug])
    paper = reverse("applications:printable", args=[service.slug])
    channels = service.channels.all()
    channels.filter(kind=ServiceChannel.Kind.ONLINE).update(url=online)
    if not channels.filter(kind=ServiceChannel.Kind.PAPER).exists():
        ServiceChannel.objects.create(
            service=service,
            kind=ServiceChannel.Kind.PAPER,
            label="Formular zum Ausdrucken (PDF)",
            url=paper,
            position=90,
        )
    else:
        channels.filter(kind=ServiceChannel.Kind.PAPER).update(url=paper)


def sample_application(service: Service, applicant: User | None, *, by: Any = None) -> Application:
    """A submitted application with plausible answers (and a demo PDF for required uploads)."""
    application = drafts.start(service, applicant=applicant)
    drafts.save_answers(application, answers_for(application.form.schema))
    form = FormSchema(schema=application.form.schema, version=application.form.version)
    for key, spec in form.file_specs().items():
        missing = validate_all(form, application.answers).errors
        if any(key in page for page in missing.values()):
            upload = SimpleUploadedFile(f"{key}.pdf", TINY_PDF, content_type="application/pdf")
            drafts.attach_files(application, key, [upload], spec=spec, by=by)
    return drafts.submit(application, by=by or applicant)


def load_sample_cases(services: list[Service]) -> int:
    if Application.objects.exclude(status=Application.Status.DRAFT).exists():
        return 0
    residents = [User.objects.get_or_create(email=email)[0] for email in SAMPLE_RESIDENTS]
    caseworker = User.objects.filter(email="j.schneider@demo.duesseldorf.invalid").first()
    count = 0
    for number, service in enumerate(services):
        applicant = residents[number % len(residents)]
        received = sample_application(service, applicant)
        count += 1
        if caseworker is None:
            continue
        working = sample_application(service, applicant)
        cases.change_status(working, Application.Status.IN_PROGRESS, by=caseworker)
        count += 1
        if service.slug == "foerderung-dachbegruenung":
            cases.ask(
                working, "Bitte reichen Sie ein aktuelles Foto des Daches nach.", by=caseworker
            )
            decisions.decide(
                received,
                kind="partial",
                amount=Decimal("1250.00"),
                reasoning="Förderfähig ist nur ein Teil der angegebenen Kosten.",
                legal_remedy=str(decisions.LEGAL_REMEDY),
                by=caseworker,
            )
        if service.slug == "hundesteuer-anmelden":
            # No amount entered: the Bescheid computes the yearly tax from the answers.
            decisions.decide(
                received,
                kind="approval",
                amount=None,
                reasoning="Die Voraussetzungen nach der Satzung liegen vor.",
                legal_remedy=str(decisions.LEGAL_REMEDY),
                by=caseworker,
            )
    return count


def load(*, scale: int = 1, log: Callable[[str], Any] = print) -> None:
    services = load_forms()
    count = load_sample_cases(services)  # first: it adds nothing once any case exists
    archived = load_archive(scale)
    log(
        f"Anträge: {len(services)} Online-Formulare, {count} Beispielvorgänge, "
        f"{archived} Dachbegrünungen im Altbestand."
    )
