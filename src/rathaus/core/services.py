"""Platform operations that are not a city service of their own."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import audit, mail
from .models import AccessibilityFeedback

__all__ = ["submit_accessibility_feedback"]


def submit_accessibility_feedback(
    *, message: str, page_url: str = "", name: str = "", email: str = ""
) -> AccessibilityFeedback:
    """Store a reported barrier and mail it to the accessibility contact.

    The reporter's address goes into Reply-To only, so the office can answer
    without the address being copied into further systems.
    """
    with transaction.atomic():
        feedback = AccessibilityFeedback.objects.create(
            message=message, page_url=page_url, name=name, email=email
        )
        audit.record("rathaus.core.accessibility_feedback.received", target=feedback)
        body = "\n".join(
            [
                "Neue Rückmeldung zur Barrierefreiheit",
                "",
                f"Eingegangen: {timezone.localtime(feedback.created_at):%d.%m.%Y %H:%M} Uhr",
                f"Betroffene Seite: {page_url or '(nicht angegeben)'}",
                f"Name: {name or '(nicht angegeben)'}",
                f"E-Mail: {email or '(nicht angegeben)'}",
                "",
                message,
            ]
        )
        mail.send_after_commit(
            subject=f"Barriere gemeldet (Nr. {feedback.pk})",
            body=body,
            to=[settings.RATHAUS["ACCESSIBILITY_EMAIL"]],
            reply_to=[email] if email else None,
        )
    return feedback
