"""A parent in Chromium: finds a swimming course for a six-year-old in Bilk (age 6 and Bilk's
Stadtbezirk as filters), books it for the child with a bank transfer, gets the confirmation
mail with the calendar file, sees the GiroCode, and cancels. axe-core on every page on the
way; the booking pages reflow at 320 CSS px (1280 px at 400 % zoom)."""

import re
from decimal import Decimal

import icalendar
import pytest
from django.utils import timezone

from rathaus.offices.models import District, Quarter
from rathaus.programs.models import Booking, Offer, Participant
from tests.factories import UserFactory
from tests.programs.conftest import make_offer, make_provider, make_venue
from tests.support import mails

from .conftest import assert_accessible, csp_violations, signed_in_page

pytestmark = pytest.mark.browser

TITLE = "Seepferdchen-Schwimmkurs Bilk"


@pytest.fixture
def courses(transactional_db):
    """The course in Bilk (Stadtbezirk 3, ages 5–8) and two that the filters must leave out:
    the same course in the Altstadt (Stadtbezirk 1) and one for older children in Bilk."""
    for number, quarter in ((3, "Bilk"), (1, "Altstadt")):  # as in the demo city
        district, _ = District.objects.get_or_create(
            number=number, defaults={"name": f"Stadtbezirk {number}"}
        )
        if not Quarter.objects.filter(name=quarter).exists():
            Quarter.objects.create(number=f"{number}9", name=quarter, district=district)
    provider = make_provider(
        "test-baeder",
        name="Testbäder Düsseldorf",
        account_holder="Testbäder Düsseldorf GmbH",
        iban="DE02120300000000202051",
        bic="BYLADEM1001",
    )
    bilk = make_venue(provider, "Bilk", name="Testschwimmhalle Bilk", step_free=True)
    make_offer(
        provider,
        "test-seepferdchen-altstadt",
        venue=make_venue(provider, "Altstadt", name="Testbad Altstadt"),
        title="Seepferdchen-Schwimmkurs Altstadt",
        age_min=5,
        age_max=8,
    )
    make_offer(
        provider,
        "test-schwimmen-jugend-bilk",
        venue=bilk,
        title="Freischwimmer-Kurs für Jugendliche Bilk",
        age_min=10,
        age_max=14,
    )
    return make_offer(
        provider,
        "test-seepferdchen-bilk",
        venue=bilk,
        title=TITLE,
        summary="In acht Stunden zum Seepferdchen",
        age_min=5,
        age_max=8,
        sessions=8,
        price=Decimal("45.00"),
        price_reduced=Decimal("10.00"),
        sibling_discount_percent=20,
        payment_methods=["transfer", "on_site"],
        cancellation_note="Bei Krankheit bitte kurz Bescheid geben.",
    )


@pytest.fixture
def family(transactional_db):
    parent = UserFactory(
        email="familie@beispiel.de", full_name="Erika Beispiel", email_confirmed_at=timezone.now()
    )
    Participant.objects.create(account=parent, name="Mia Beispiel", birth_year=2020)
    return parent


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_a_parent_finds_books_and_cancels_a_swimming_course(
    chromium, live_server, courses, family, mail_dir
):
    page = signed_in_page(chromium, live_server, family)
    page.set_default_timeout(10_000)
    refused = csp_violations(page)

    # Find: Sport & Schwimmen, a six-year-old, Bilk's Stadtbezirk.
    page.goto("/angebote/")
    assert_accessible(page)
    page.get_by_label("Kategorie").select_option("sport")
    page.get_by_text("Weitere Filter").click()
    page.get_by_label("Alter in Jahren").fill("6")
    page.get_by_label("Stadtbezirk").select_option("3")
    page.get_by_role("button", name="Angebote anzeigen").click()
    page.wait_for_url(re.compile(r".*/angebote/\?.*alter=6.*"))
    results = page.locator(".offer-list")
    assert TITLE in results.inner_text()
    assert "Altstadt" not in results.inner_text() and "Jugendliche" not in results.inner_text()
    assert_accessible(page)

    # The offer, then the booking page.
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"**/angebote/{courses.slug}/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Jetzt buchen")).click()
    page.wait_for_url(f"**/angebote/{courses.slug}/buchen/")
    assert_accessible(page)
    assert page.get_by_text("45,00\u00a0€ pro Person").is_visible()
    assert page.get_by_text("5 bis 8 Jahre").is_visible()

    # Mia, the only child, is ticked already. A mistake first (nobody chosen): the message,
    # and the payment choice stays.
    assert page.get_by_label(re.compile("Mia Beispiel")).is_checked()
    page.get_by_label(re.compile("Mia Beispiel")).uncheck()
    page.get_by_label("Zahlung vor Ort").check()
    page.get_by_role("button", name="Verbindlich buchen").click()
    page.wait_for_load_state()
    assert page.locator("[data-error-summary]").is_visible()
    assert page.get_by_label("Zahlung vor Ort").is_checked()
    assert_accessible(page)
    page.get_by_label("Überweisung").check()
    page.get_by_label(re.compile("Mia Beispiel")).check()
    page.get_by_role("button", name="Verbindlich buchen").click()
    page.wait_for_url(re.compile(r".*/konto/buchungen/[A-Z0-9-]+/$"))
    made = Booking.objects.get(account=family)
    assert made.status == Booking.Status.BOOKED and made.total == Decimal("45.00")
    assert page.get_by_text(made.code, exact=True).first.is_visible()
    assert page.locator("figure.girocode svg").is_visible()
    assert page.get_by_text(f"Buchung {made.code}", exact=True).is_visible()
    assert_accessible(page)

    # The confirmation mail with the calendar file.
    (message,) = [m for m in mails(mail_dir) if m["To"] == family.email]
    assert TITLE in message["Subject"]
    assert f"/konto/buchungen/{made.code}/" in message.get_body(("plain",)).get_content()
    (ics,) = [p for p in message.iter_attachments() if p.get_filename() == "angebot.ics"]
    assert len(icalendar.Calendar.from_ical(ics.get_content()).walk("VEVENT")) == 8

    page.goto("/konto/buchungen/")
    assert page.get_by_role("link", name=TITLE).is_visible()
    assert_accessible(page)

    # Reflow: the booking pages at 320 CSS px.
    page.set_viewport_size({"width": 320, "height": 640})
    for path in (
        f"/angebote/{courses.slug}/buchen/",
        f"/konto/buchungen/{made.code}/",
        f"/konto/buchungen/{made.code}/stornieren/",
        "/konto/buchungen/",
        "/konto/teilnehmende/",
    ):
        page.goto(path)
        assert overflow(page) <= 0, f"{path} ist bei 320 px {overflow(page)} px zu breit"
    page.set_viewport_size({"width": 1280, "height": 800})

    # Cancel.
    page.goto(f"/konto/buchungen/{made.code}/")
    page.get_by_role("link", name="Buchung stornieren").click()
    page.wait_for_url(f"**/konto/buchungen/{made.code}/stornieren/")
    assert_accessible(page)
    page.get_by_role("button", name="Ja, verbindlich stornieren").click()
    page.wait_for_url(f"**/konto/buchungen/{made.code}/")
    assert page.get_by_text("Ihre Buchung ist storniert.").is_visible()
    assert_accessible(page)
    made.refresh_from_db()
    assert made.status == Booking.Status.CANCELLED
    assert made.payment_status == Booking.Payment.VOID
    assert Offer.objects.get(pk=courses.pk).taken == 0
    cancelled = [m for m in mails(mail_dir) if m["Subject"].strip().startswith("Stornierung")]
    assert len(cancelled) == 1
    assert not refused, refused
    page.context.close()


def test_a_parent_adds_a_child_on_the_way_to_booking(
    chromium, live_server, courses, family, mail_dir
):
    """The child is missing: "Kind hinzufügen", name and year, back with the choice kept."""
    page = signed_in_page(chromium, live_server, family)
    page.goto(f"/angebote/{courses.slug}/buchen/")
    page.get_by_label("Zahlung vor Ort").check()
    page.get_by_role("button", name="Kind hinzufügen").click()
    page.wait_for_url("**/konto/teilnehmende/?next=*")
    assert_accessible(page)
    page.get_by_label("Vorname und Name").fill("Lea Beispiel")
    page.get_by_label("Geburtsjahr").fill("2019")
    page.get_by_role("button", name="Hinzufügen und zurück zur Buchung").click()
    page.wait_for_url(f"**/angebote/{courses.slug}/buchen/?*")
    assert page.get_by_label(re.compile("Lea Beispiel")).is_checked()
    assert page.get_by_label(re.compile("Mia Beispiel")).is_checked()  # ticked before
    assert page.get_by_label("Zahlung vor Ort").is_checked()
    # 45 € and 36 € for the sibling (20 % off).
    assert page.get_by_text("Ihre Auswahl: 2 Personen, zusammen 81,00\u00a0€.").is_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/konto/teilnehmende/")
    assert overflow(page) <= 0
    page.context.close()


def test_a_parent_waits_gets_the_place_by_mail_and_claims_it(
    chromium, live_server, courses, family, mail_dir
):
    """Full course: the waiting list, a cancellation, the mail's link, the claim page."""
    from rathaus.programs.services import booking as bookings

    Offer.objects.filter(pk=courses.pk).update(capacity=1)
    other = UserFactory(email="zuerst@beispiel.de")
    first = bookings.book(
        bookings.Request(
            offer=Offer.objects.get(pk=courses.pk),
            people=[bookings.Person("Tom Zuerst", 2019)],
            contact_name="Zuerst",
            account=other,
        )
    )
    page = signed_in_page(chromium, live_server, family)
    page.goto(f"/angebote/{courses.slug}/buchen/")
    assert_accessible(page)
    page.get_by_role("button", name="Auf die Warteliste setzen").click()
    page.wait_for_url("**/konto/buchungen/")
    assert page.get_by_text("Sie sind an 1. Stelle der Warteliste.").is_visible()
    assert_accessible(page)

    bookings.cancel(first)
    (offered,) = [m for m in mails(mail_dir) if m["Subject"].strip().startswith("Ein Platz")]
    link = re.search(
        r"/angebote/platz/[0-9a-f-]+/[\w-]+/", offered.get_body(("plain",)).get_content()
    ).group(0)
    page.goto("/konto/buchungen/")
    assert page.get_by_text(re.compile("Ein Platz ist für Sie reserviert")).is_visible()
    assert_accessible(page)
    page.goto(link)
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert overflow(page) <= 0
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("button", name="Platz verbindlich annehmen").click()
    page.wait_for_url(re.compile(r".*/konto/buchungen/[A-Z0-9-]+/$"))
    assert page.get_by_text("Der Platz gehört Ihnen.", exact=False).is_visible()
    assert Booking.objects.get(account=family).status == Booking.Status.BOOKED
    page.goto("/angebote/platz/00000000-0000-0000-0000-000000000000/falsch/")
    assert page.get_by_role("heading", name="Dieser Link gilt nicht").is_visible()
    assert_accessible(page)
    page.context.close()
