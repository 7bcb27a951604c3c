"""Outgoing e-mail for every module: queued after the transaction commits, sent by the worker."""

from django.db import transaction

from .tasks import send_email

__all__ = ["send_after_commit"]


def send_after_commit(
    *,
    subject: str,
    body: str,
    to: list[str],
    reply_to: list[str] | None = None,
    attachments: list[dict[str, str]] | None = None,
) -> None:
    """Queue an e-mail once the surrounding transaction has committed (never for a rollback)."""
    transaction.on_commit(
        lambda: send_email.enqueue(
            subject=subject, body=body, to=to, reply_to=reply_to, attachments=attachments
        )
    )
