"""The demo city's cached free times are true from the moment it is loaded: a story
(a blocked hour in Mitte, a closed day in Wersten) written past the cache once offered
a time that booking then refused, depending on the hour the demo was loaded."""

import pytest
from django.utils import timezone

from rathaus.appointments.models import Block, CounterDay
from rathaus.appointments.services import days

pytestmark = pytest.mark.django_db


def test_recomputing_every_office_from_the_truth_changes_no_cached_day():
    today = timezone.localdate()
    rows = CounterDay.objects.filter(day__gte=today).order_by("pk")
    cached = list(rows.values_list("pk", "free"))
    assert Block.objects.filter(counter__office__slug="buergerbuero-mitte").exists()
    for office_id in set(rows.values_list("office_id", flat=True)):
        days.refresh_office(office_id, today)
    assert list(rows.values_list("pk", "free")) == cached
