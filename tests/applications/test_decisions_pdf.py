"""The Bescheid as a letter: greeting, first sentence, the amounts it sets, and the
verification block on the last page with the text (real PDFs, read with pypdf)."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from rathaus.accounts.models import Role
from rathaus.applications.demo import sample_application
from rathaus.applications.demo.filler import answers_for
from rathaus.applications.models import Application, Document
from rathaus.applications.services import decisions, drafts
from rathaus.applications.services.decisions import Recipient, salutation
from rathaus.catalog.models import Service
from tests.factories import StaffFactory, UserFactory

REMEDY = "Gegen diesen Bescheid können Sie innerhalb eines Monats Klage erheben."


def pages_of(application: Application) -> list[str]:
    document = Document.objects.get(application=application, kind=Document.Kind.DECISION)
    with document.file.open("rb") as file:
        return [page.extract_text() for page in PdfReader(io.BytesIO(file.read())).pages]


def submitted(slug: str, **answers) -> Application:
    """An application submitted online with the demo answers (and files), or with these."""
    user = UserFactory()
    if not answers:
        return sample_application(Service.objects.get(slug=slug), user)
    application = drafts.start(Service.objects.get(slug=slug), applicant=user)
    drafts.save_answers(application, {**answers_for(application.form.schema), **answers})
    return drafts.submit(application, by=user)


def decide(application: Application, kind: str = "approval", **fields) -> list[str]:
    caseworker = StaffFactory(
        full_name="Lea Grün", roles=[Role.CASEWORKER], roles__offices=[application.office]
    )
    decisions.decide(
        application,
        kind=kind,
        amount=fields.get("amount"),
        reasoning=fields.get("reasoning", "Die Voraussetzungen liegen vor."),
        legal_remedy=REMEDY,
        by=caseworker,
    )
    return pages_of(application)


DOGS = {
    "hunde-rows": "2",
    "hunde-0-hund_name": "Bello",
    "hunde-0-hund_gefaehrlich": "nein",
    "hunde-1-hund_name": "Rex",
    "hunde-1-hund_rasse": "Rottweiler",
    "hunde-1-hund_geburtsdatum": "01.02.2023",
    "hunde-1-hund_seit": "01.03.2026",
    "hunde-1-hund_gefaehrlich": "ja",
    "weitere_hunde": "nein",
    "ermaessigung": "nein",
}


def flat(pages: list[str]) -> str:
    return " ".join(" ".join(pages).split())


@pytest.mark.django_db
def test_the_bescheid_greets_the_person_and_begins_with_a_capital_letter():
    application = submitted("foerderung-dachbegruenung")
    text = flat(decide(application))
    assert "Guten Tag Erika Mustermann," in text
    date = application.received_on.strftime("%d.%m.%Y")
    assert f"Guten Tag Erika Mustermann, Ihren Antrag vom {date} haben wir geprüft" in text


@pytest.mark.parametrize(
    ("anrede", "expected"),
    [
        ("frau", "Sehr geehrte Frau Mustermann,"),
        ("herr", "Sehr geehrter Herr Mustermann,"),
        ("divers", "Guten Tag Erika Mustermann,"),
        (None, "Guten Tag Erika Mustermann,"),
    ],
)
def test_the_salutation_is_formal_only_when_the_form_asked(anrede, expected):
    erika = Recipient("Erika", "Mustermann", "Musterweg 7", "40225 Düsseldorf")
    assert salutation(erika, anrede) == expected


def test_without_a_name_the_bescheid_says_guten_tag():
    assert salutation(None) == "Guten Tag,"
    assert salutation(Recipient("", "", "Musterweg 7", "40225 Düsseldorf"), "frau") == (
        "Guten Tag,"
    )


@pytest.mark.django_db
def test_the_hundesteuer_bescheid_states_the_yearly_tax_from_the_answers():
    text = flat(decide(submitted("hundesteuer-anmelden", **DOGS)))
    # two dogs in the household: 150 € for Bello, 900 € for Rex (a Rottweiler, § 10 LHundG)
    assert "Hundesteuer für „Bello“ 150,00 €" in text
    assert "Hundesteuer für „Rex“ 900,00 €" in text
    assert "Die Hundesteuer wird auf 1.050,00 € im Jahr festgesetzt." in text


@pytest.mark.django_db
def test_dogs_already_registered_raise_the_rate():
    answers = {**DOGS, "hunde-rows": "1", "weitere_hunde": "ja", "weitere_hunde_anzahl": "2"}
    text = flat(decide(submitted("hundesteuer-anmelden", **answers)))
    assert "Hundesteuer für „Bello“ 180,00 €" in text  # the third dog of the household
    assert "Die Hundesteuer wird auf 180,00 € im Jahr festgesetzt." in text


@pytest.mark.django_db
def test_the_caseworkers_amount_is_the_tax_set_after_a_reduction():
    answers = {**DOGS, "ermaessigung": "ja", "ermaessigung_gruende": ["sozialleistung"]}
    text = flat(decide(submitted("hundesteuer-anmelden", **answers), amount=Decimal("525.00")))
    assert "Die Hundesteuer wird auf 525,00 € im Jahr festgesetzt." in text
    assert "Hundesteuer für „Bello“" not in text  # the standard rates do not apply


@pytest.mark.django_db
def test_a_grant_states_the_granted_amount_and_a_rejection_none():
    grant = flat(
        decide(submitted("foerderung-dachbegruenung"), "partial", amount=Decimal("1250.00"))
    )
    assert "Der bewilligte Betrag beträgt 1.250,00 €." in grant
    rejection = flat(decide(submitted("hundesteuer-anmelden", **DOGS), "rejection"))
    assert "Ihr Antrag wird abgelehnt." in rejection
    assert "€" not in rejection


@pytest.mark.django_db
def test_the_verification_block_stays_on_the_last_page_with_the_text():
    """Reasons of growing length move the page break through the letter's end: the legal
    remedy, the closing and the code always end up together on the last page."""
    application = submitted("hundesteuer-anmelden", **DOGS)
    pages = decide(application)
    code = Document.objects.get(application=application, kind=Document.Kind.DECISION)
    assert code.verification_code in pages[-1]
    decision = application.decision
    for paragraphs in range(44, 64, 2):
        decision.reasoning = "\n".join(
            f"{n}. Die Prüfung der eingereichten Unterlagen hat Folgendes ergeben."
            for n in range(paragraphs)
        )
        content = decisions.render_decision(application, decision, "ABCD-EFGH-JKLM")
        pages = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
        last = pages[-1]
        assert len(pages) >= 2
        assert "Prüfcode: ABCD-EFGH-JKLM" in last and "Echtheit prüfen" in last, paragraphs
        assert "Rechtsbehelfsbelehrung" in last and "Mit freundlichen Grüßen" in last, paragraphs
        assert not any("ABCD-EFGH-JKLM" in page for page in pages[:-1]), paragraphs
