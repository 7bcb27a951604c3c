"""The suite never runs a test across midnight (tests compute "today" before pages do)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.conftest import seconds_to_wait_for_a_new_day

BERLIN = ZoneInfo("Europe/Berlin")


def test_a_test_starting_just_before_midnight_waits_for_the_new_day():
    assert seconds_to_wait_for_a_new_day(datetime(2026, 11, 26, 23, 59, 0, tzinfo=BERLIN)) == 61
    assert seconds_to_wait_for_a_new_day(datetime(2026, 3, 28, 23, 58, 30, tzinfo=BERLIN)) == 91


def test_any_other_time_does_not_wait():
    assert seconds_to_wait_for_a_new_day(datetime(2026, 11, 26, 23, 57, 0, tzinfo=BERLIN)) == 0
    assert seconds_to_wait_for_a_new_day(datetime(2026, 11, 27, 0, 0, 1, tzinfo=BERLIN)) == 0
