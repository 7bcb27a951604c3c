"""Daily housekeeping of the accounts module."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from rathaus.core import audit
from rathaus.core.periodic import daily

from .models import AccessCode, AccessLogEntry, Challenge, Token


@daily
@task()
def purge_expired() -> dict[str, int]:
    """Delete what has no use any more: spent challenges and links, old letters, old log entries.

    The access log keeps each entry for ACCESS_LOG_RETENTION_DAYS; the database
    refuses to delete younger ones (migration 0002), so this cannot cut it short.
    """
    now = timezone.now()
    day = timedelta(days=1)
    counts = {
        "challenges": Challenge.objects.filter(expires_at__lt=now - day).delete()[0],
        "tokens": Token.objects.filter(expires_at__lt=now - day).delete()[0],
        "access_codes": AccessCode.objects.filter(expires_at__lt=now - 30 * day).delete()[0],
        "access_log": AccessLogEntry.objects.filter(
            accessed_at__lt=now - timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
        ).delete()[0],
    }
    audit.record("rathaus.accounts.purged", data=counts)
    return counts
