"""Background tasks of the platform (run by ``rathaus worker``)."""

import logging
from datetime import timedelta
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from .models import SentMail
from .periodic import daily

__all__ = ["deliver_once", "forget_sent_mail", "new_message_id", "send_email"]

logger = logging.getLogger(__name__)

# A task is taken over from a dead worker within minutes; a week is plenty to remember.
SENT_MAIL_MEMORY = timedelta(days=7)


def new_message_id(key: str = "") -> str:
    """A globally unique ``Message-ID`` in the sender's domain. With ``key`` (unique for
    what the mail is about, e.g. one booking's confirmation) it is the same every time, so
    a job that runs twice because its worker died still sends the mail once."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    if key:
        return f"<{key}@{domain or 'localhost'}>"
    return make_msgid(domain=domain or None)


@task()
def send_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    reply_to: list[str] | None = None,
    attachments: list[dict[str, str]] | None = None,
    message_id: str | None = None,
) -> None:
    """Send one plain-text e-mail; a slow or failing mail server never blocks a request.

    ``attachments`` are text files: ``{"filename", "content", "mimetype"}`` (an .ics invitation).
    ``message_id`` is given when the mail is queued (``mail.send_after_commit``); a task
    queued without one gets one here.
    """
    message = EmailMessage(subject=subject, body=body, to=to, reply_to=reply_to or None)
    for attachment in attachments or ():
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    deliver_once(message, message_id or new_message_id())


def deliver_once(message: EmailMessage, message_id: str) -> bool:
    """Hand ``message`` to the mail backend unless ``message_id`` was handed over before.

    The record is written after the mail server accepted the message, on its own and at
    once (autocommit), never together with anything else: a worker killed before the
    record sends the message again when its task runs again (at least once, never lost);
    a worker killed after it does not send it twice. Returns whether it was sent now.
    """
    if SentMail.objects.filter(message_id=message_id).exists():
        logger.info("E-Mail %s wurde schon übergeben; nicht noch einmal gesendet", message_id)
        return False
    message.extra_headers["Message-ID"] = message_id
    message.send()
    try:
        with transaction.atomic():
            SentMail.objects.create(message_id=message_id)
    except IntegrityError:  # another run recorded it meanwhile; it was sent either way
        pass
    logger.info("E-Mail %s an den Mailserver übergeben", message_id)
    return True


@daily
@task()
def forget_sent_mail() -> int:
    """Records of sent mail are needed only while a task could still run again."""
    deleted, _ = SentMail.objects.filter(sent_at__lt=timezone.now() - SENT_MAIL_MEMORY).delete()
    return deleted
