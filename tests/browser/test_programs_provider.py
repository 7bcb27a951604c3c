"""The provider back office in Chromium: a provider's staff member signs in with a passkey,
opens an offer, checks attendance for today's session, writes to everyone, looks at the
print list and the bank-statement page, and books for a caller – axe-core on every page,
no Content-Security-Policy refusal."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rathaus.accounts.models import Role
from rathaus.accounts.services import staff
from rathaus.programs.models import Attendance, Booking, ProviderMembership
from rathaus.programs.services import booking as bookings
from tests.factories import StaffFactory
from tests.programs.conftest import make_offer, make_provider

from .conftest import assert_accessible, csp_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def course(city):
    provider = make_provider("test-browserverein", name="Schwimmverein Bilk 1910 e. V.")
    today = timezone.localtime().replace(hour=18, minute=0, second=0, microsecond=0)
    course = make_offer(
        provider,
        "test-browserkurs",
        title="Seepferdchen-Kurs am Abend",
        sessions=3,
        first=today if today > timezone.localtime() else today + timedelta(days=1),
        age_min=5,
        age_max=8,
        capacity=8,
    )
    for name, year, email in [
        ("Mia Beispiel", 2019, "mia@beispiel.de"),
        ("Ben Beispiel", 2020, "ben@beispiel.de"),
        ("Ida Muster", 2019, ""),
    ]:
        bookings.book(
            bookings.Request(
                offer=course,
                people=[bookings.Person(name, year)],
                contact_name=f"Eltern {name}",
                email=email,
                phone="0211 123456" if not email else "",
            )
        )
    return course


def test_provider_staff_check_attendance_and_run_their_offer(page, course, authenticator):
    manager = StaffFactory(full_name="Jana Wagner", roles=[Role.PROGRAM_MANAGER])
    ProviderMembership.objects.create(user=manager, provider=course.provider)
    refused = csp_violations(page)

    page.goto(f"/verwaltung/einrichten/{staff.new_enrolment(manager, by=None)}/")
    page.get_by_role("button", name="Passkey erstellen").click()
    page.wait_for_url("**/verwaltung/")

    page.goto("/verwaltung/angebote/")
    assert_accessible(page)
    page.get_by_role("link", name="Seepferdchen-Kurs am Abend").click()
    page.wait_for_url(f"**/verwaltung/angebote/{course.slug}/")
    assert_accessible(page)
    assert page.get_by_role("row", name="Mia Beispiel").count() >= 1

    first = course.sessions.first()
    page.get_by_role(
        "link", name=f"Anwesenheit erfassen – {first.starts_at.astimezone():%d.%m.%Y}"
    ).click()
    page.wait_for_url(f"**/anwesenheit/{first.pk}/")
    assert_accessible(page)
    page.get_by_label("Mia Beispiel (Jahrgang 2019)").check()
    page.get_by_label("Ida Muster (Jahrgang 2019)").check()
    page.get_by_role("button", name="Anwesenheit speichern").click()
    page.wait_for_url(f"**/verwaltung/angebote/{course.slug}/#termine")
    assert "Anwesenheit gespeichert: 2 da, 1 nicht da." in page.content()
    assert_accessible(page)
    present = dict(
        Attendance.objects.filter(session=first).values_list("participant__name", "present")
    )
    assert present == {"Mia Beispiel": True, "Ben Beispiel": False, "Ida Muster": True}

    # A message with a mistake first: the error summary, then the text is still there.
    page.get_by_role("link", name="Nachricht an alle Teilnehmenden").click()
    page.wait_for_url("**/nachricht/")
    page.fill("#id_text", "Bitte Badekappen mitbringen.")
    page.get_by_role("button", name="Nachricht senden").click()
    page.wait_for_load_state()
    assert page.locator("[data-error-summary]").is_visible()
    assert page.input_value("#id_text") == "Bitte Badekappen mitbringen."
    assert_accessible(page)
    page.fill("#id_betreff", "Badekappen")
    page.get_by_role("button", name="Nachricht senden").click()
    page.wait_for_url(f"**/verwaltung/angebote/{course.slug}/")
    assert "Die Nachricht geht an 2 Buchungen." in page.content()

    for address in [
        f"/verwaltung/angebote/{course.slug}/teilnehmende/drucken/",
        f"/verwaltung/angebote/{course.slug}/absagen/",
        f"/verwaltung/angebote/{course.slug}/termin/{first.pk}/absagen/",
        f"/verwaltung/angebote/{course.slug}/buchung/{Booking.objects.filter(offer=course).first().code}/",
        "/verwaltung/angebote/kontoauszug/",
    ]:
        page.goto(address)
        assert_accessible(page)

    # The statement page with a file that is not a statement: a German message, accessible.
    page.set_input_files(
        "#id_datei",
        files=[{"name": "auszug.csv", "mimeType": "text/csv", "buffer": b"Name;Ort\nA;B\n"}],
    )
    page.get_by_role("button", name="Vorschau zeigen").click()
    page.wait_for_load_state()
    assert "fehlt die Kopfzeile" in page.content()
    assert_accessible(page)

    # Booking for a caller.
    page.goto("/verwaltung/angebote/buchen/?q=Seepferdchen")
    assert_accessible(page)
    page.get_by_role("link", name="Seepferdchen-Kurs am Abend").click()
    page.wait_for_url(f"**/verwaltung/angebote/{course.slug}/buchen/")
    assert_accessible(page)
    page.fill("#id_kontakt_name", "Ömer Anrufer")
    page.fill("#id_telefon", "0211 987654")
    page.fill("#id_person_1_name", "Elif Anrufer")
    page.fill("#id_person_1_jahr", "2019")
    page.get_by_role("button", name="Verbindlich buchen").click()
    page.wait_for_url("**/verwaltung/angebote/buchen/")
    made = Booking.objects.get(offer=course, contact_name="Ömer Anrufer")
    assert made.booked_by == manager and f"Buchungscode {made.code}" in page.content()
    assert_accessible(page)
    assert refused == []


def test_the_print_list_fits_on_paper(page, course, chromium, live_server):
    """The print style sheet hides the site's frame: what is printed is the list."""
    from .conftest import signed_in_page

    manager = StaffFactory(roles=[Role.PROGRAM_MANAGER])
    ProviderMembership.objects.create(user=manager, provider=course.provider)
    printing = signed_in_page(chromium, live_server, manager)
    printing.goto(f"/verwaltung/angebote/{course.slug}/teilnehmende/drucken/")
    printing.emulate_media(media="print")
    assert not printing.locator(".site-header").is_visible()
    assert not printing.locator(".print-hint").is_visible()
    assert printing.locator(".attendance-sheet").count() == 3
    assert printing.locator(".signature-table").first.is_visible()
    pdf = printing.pdf(format="A4", landscape=True)
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 3
    printing.context.close()
