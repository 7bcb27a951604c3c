"""Background tasks of the platform (run by ``rathaus worker``)."""

from django.core.mail import EmailMessage
from django_tasks import task


@task()
def send_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    reply_to: list[str] | None = None,
    attachments: list[dict[str, str]] | None = None,
) -> None:
    """Send one plain-text e-mail; a slow or failing mail server never blocks a request.

    ``attachments`` are text files: ``{"filename", "content", "mimetype"}`` (an .ics invitation).
    """
    message = EmailMessage(subject=subject, body=body, to=to, reply_to=reply_to or None)
    for attachment in attachments or ():
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    message.send()
