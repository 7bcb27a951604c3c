"""PDFs the city produces for a case, stored with their SHA-256 so anyone can check them later."""

import hashlib

from django.core.files.base import ContentFile

from ..models import Application, Document


def store_pdf(
    application: Application, kind: str, pdf: bytes, *, verification_code: str | None = None
) -> Document:
    document = Document(
        application=application,
        kind=kind,
        sha256=hashlib.sha256(pdf).hexdigest(),
        verification_code=verification_code,
    )
    document.file.save(f"{kind}.pdf", ContentFile(pdf), save=False)
    document.save()
    return document


def applicant_email(application: Application) -> str | None:
    if application.applicant_id:
        return application.applicant.email
    if application.person_id and application.person.email:
        return application.person.email
    return None
