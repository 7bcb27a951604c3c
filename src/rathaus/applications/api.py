"""JSON API of applications: what a Bescheid's verification code stands for, so that a
verifier (``rathaus verify CODE``) can look up the document hash and check it against the
transparency log. It says no more than the public page ``/bescheid-pruefen/<code>/``."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from rathaus.core.api import ErrorOut

from .services import decisions

router = Router(tags=["Bescheide"])


class DecisionOut(Schema):
    code: str = Field(description="The verification code as printed on the Bescheid.")
    reference: str = Field(description="The case's Aktenzeichen.")
    service: str
    issued_at: datetime
    sha256: str = Field(description="SHA-256 of the Bescheid's PDF, hex.")
    verify_url: str


@router.get(
    "/bescheide/{code}",
    response={200: DecisionOut, 404: ErrorOut},
    summary="A Bescheid by its verification code",
)
def decision(request: HttpRequest, code: str) -> dict:
    """The Bescheid with this verification code (case-insensitive, dashes optional); 404
    when there is none."""
    document = decisions.by_code(code[:40])
    if document is None:
        raise HttpError(404, "There is no Bescheid with this code.")
    return {
        "code": document.verification_code,
        "reference": document.application.reference,
        "service": document.application.service.title,
        "issued_at": document.created_at,
        "sha256": document.sha256,
        "verify_url": decisions.verification_url(document.verification_code),
    }
