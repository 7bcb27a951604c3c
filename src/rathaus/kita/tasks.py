"""Background jobs of the Kita module."""

from django_tasks import task

from rathaus.core.periodic import daily, every_minute

from .services import notices, privacy, responses


@every_minute
def expire_unanswered_offers() -> int:
    """An offered place not accepted by its deadline goes back for the next round."""
    return responses.expire_overdue()


@task()
def send_round_notices(round_id: int) -> int:
    """Every family of a round hears its result, from the worker, not the request."""
    return notices.send_round_notices(round_id)


@daily
@task()
def anonymise_old_registrations() -> int:
    """Registrations past their Kita year's start plus the retention period are anonymised."""
    return privacy.anonymise_due()
