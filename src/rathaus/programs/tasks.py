"""Background jobs of the programmes module."""

from django_tasks import task

from rathaus.core.periodic import daily, every_minute

from .services import lottery, payments, waitlist


@every_minute
def pass_on_expired_waitlist_offers() -> int:
    """A place offered from the waiting list and not claimed in time goes to the next one."""
    return waitlist.expire_offers()


@every_minute
def draw_due_lotteries() -> int:
    """Lotteries whose registration window has closed are drawn within a minute."""
    return lottery.draw_due()


@daily
@task()
def remind_overdue_payments() -> int:
    """A booking still unpaid when its payment method's time is up gets one reminder."""
    return payments.remind_overdue()


@task()
def send_booking_confirmation(booking_id: int) -> None:
    """The confirmation of a booking, rendered here rather than in the booking request."""
    from .models import Booking
    from .services import notices

    notices.send_booked(Booking.objects.select_related("offer__venue").get(pk=booking_id))
