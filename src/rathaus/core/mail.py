"""Outgoing e-mail for every module: queued after the transaction commits, sent by the worker.

Every message gets its ``Message-ID`` when it is queued. The worker records that id in
the database right after the mail server has taken the message, so a task that runs again
(its worker was killed and another one took the task over) does not send it a second time.
"""

from django.db import transaction

from .tasks import new_message_id, send_email

__all__ = ["send_after_commit"]


def send_after_commit(
    *,
    subject: str,
    body: str,
    to: list[str],
    reply_to: list[str] | None = None,
    attachments: list[dict[str, str]] | None = None,
    key: str = "",
) -> None:
    """Queue an e-mail once the surrounding transaction has committed (never for a rollback).

    ``key``: what makes this mail unique (``tasks.new_message_id``), for mails queued by a
    job that may run twice."""
    message_id = new_message_id(key)
    transaction.on_commit(
        lambda: send_email.enqueue(
            subject=subject,
            body=body,
            to=to,
            reply_to=reply_to,
            attachments=attachments,
            message_id=message_id,
        )
    )
