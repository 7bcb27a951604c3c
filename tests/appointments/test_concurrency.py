"""No time is given twice, across processes: 50 people press "book" for the same last free
time at once, through two separate app servers (four gunicorn workers) on one database.
Exactly one gets it; everyone else is told it was just taken and offered other times."""

import base64
import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import time, timedelta
from http.cookiejar import CookieJar

import altcha
import pytest
from django.utils import timezone

from rathaus.appointments.models import Appointment, Block, OfficeService
from rathaus.appointments.services import calendar, days
from tests.factories import ServiceFactory
from tests.support import app_servers

from .conftest import make_office

PEOPLE = 50


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def person(base: str, page: str, number: int, start: threading.Barrier, results: list) -> None:
    """One browser: open the booking page, solve the proof of work, wait, press "book"."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    html = opener.open(base + page, timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    challenge = json.loads(opener.open(base + "/termine/pruefaufgabe/", timeout=30).read())
    solution = altcha.solve_challenge_v1(
        challenge["challenge"], challenge["salt"], challenge["algorithm"], challenge["maxNumber"]
    )
    payload = {k: challenge[k] for k in ("algorithm", "challenge", "salt", "signature")}
    payload["number"] = solution.number
    form = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "name": f"Person {number}",
            "email": f"person{number}@beispiel.de",
            "phone": "",
            "altcha": base64.b64encode(json.dumps(payload).encode()).decode(),
        }
    ).encode()
    request = urllib.request.Request(base + page, data=form, headers={"Referer": base + page})
    start.wait(timeout=60)
    try:
        response = opener.open(request, timeout=60)
        results.append((response.status, response.read().decode()))
    except urllib.error.HTTPError as error:
        results.append((error.code, error.read().decode()))


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_bookings_of_the_last_free_time_give_exactly_one_appointment():
    office = make_office("wettlauf", counters=1)
    service = ServiceFactory(slug="wettlauf-leistung", title="Wettlaufleistung")
    OfficeService.objects.create(office=office, service=service, minutes_per_person=15)
    day = timezone.localdate() + timedelta(days=3)
    counter = office.counters.get()
    # Everything of that day is blocked but 09:00–09:15: the last free time.
    for start, end in ((0, calendar.unit_floor(time(9))), (calendar.unit_floor(time(9, 15)), 288)):
        Block.objects.create(
            counter=counter, day=day, start_unit=start, end_unit=end, reason="voll"
        )
    days.ensure_released([office.pk], timezone.now())
    days.refresh_office(office.pk, day)
    query = f"leistung={service.slug}&personen=1&tag={day.isoformat()}&zeit=09:00"
    page = f"/termine/{office.slug}/buchen/?{query}"
    environment = {
        "APPOINTMENT_POW_MAX_NUMBER": "500",
        "APPOINTMENT_BOOKINGS_PER_IP_HOUR": "10000",
        "APPOINTMENT_BOOKINGS_PER_CONTACT_DAY": "10000",
        # Eight threads per worker: up to 32 bookings inside the database at the same moment.
        "GUNICORN_CMD_ARGS": "--threads 8",
    }
    results: list = []
    with app_servers(2, workers=2, env=environment) as bases:
        start = threading.Barrier(PEOPLE)
        threads = [
            threading.Thread(target=person, args=(bases[n % 2], page, n, start, results))
            for n in range(PEOPLE)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    statuses = sorted(status for status, _ in results)
    assert len(results) == PEOPLE
    assert statuses.count(302) == 1, statuses
    refused = [body for status, body in results if status == 409]
    assert len(refused) == PEOPLE - 1
    for body in refused:
        assert "Dieser Termin ist gerade vergeben worden." in body
        assert "Diese Zeiten sind hier noch frei" in body
        assert re.search(r'name="neu" value="\d{4}-\d\d-\d\dT\d\d:\d\d"', body)
    booked = Appointment.objects.filter(office=office, day=day)
    assert booked.count() == 1
    assert calendar.unit_label(booked.get().start_unit) == "09:00"
