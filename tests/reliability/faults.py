"""Faults the reliability tests switch on inside the worker processes they start (loaded
with the logging configuration, before the apps: no models, no tasks here).

``fault_settings`` loads these into a worker; the test names, through the environment,
the message or log line at which the worker stops as if the machine had frozen, and the
folder where the worker leaves a mark when it got there. The test then kills it.
"""

import logging
import os
import time
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend

FOLDER = "RATHAUS_FAULT_DIR"
STALL_SUBJECT = "RATHAUS_FAULT_STALL_SUBJECT"
STALL_LOG = "RATHAUS_FAULT_STALL_LOG"
# A stalled worker that nobody kills gives up after this long (the test has failed then).
LONGEST_STALL = 120


def _stall(reason: str) -> None:
    """Leave a mark for the test, then wait to be killed."""
    (Path(os.environ[FOLDER]) / "stalled").write_text(reason)
    time.sleep(LONGEST_STALL)
    raise RuntimeError(f"stalled at {reason} and nobody killed the worker")


class StallingEmailBackend(EmailBackend):
    """The file backend, but the mail server hangs on the message with the given subject."""

    def send_messages(self, email_messages):
        for message in email_messages:
            if os.environ.get(STALL_SUBJECT) and message.subject == os.environ[STALL_SUBJECT]:
                _stall(f"subject {message.subject}")
        return super().send_messages(email_messages)


class StallOnLog(logging.Handler):
    """A log handler: the worker freezes right after it logged the given text."""

    def emit(self, record: logging.LogRecord) -> None:
        if os.environ.get(STALL_LOG) and os.environ[STALL_LOG] in record.getMessage():
            _stall(f"log {record.getMessage()}")
