"""The paper form as PDF: the blank form is rendered once per form version and then comes
from the cache; a new version, or a form filled from a draft, is rendered (real PDFs)."""

import io

import pytest
from django.core.cache import cache
from pypdf import PdfReader, PdfWriter

from rathaus.applications.services import drafts, forms
from rathaus.applications.services.paper_forms import blank_form_key, paper_form_pdf
from rathaus.catalog.models import Service

SLUG = "hundesteuer-anmelden"


def text_of(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def marker_pdf() -> bytes:
    """A PDF no rendering makes (one empty 100 × 100 page): whoever serves it read the cache."""
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def service():
    return Service.objects.get(slug=SLUG)


@pytest.mark.django_db
def test_the_blank_form_is_rendered_once_and_then_served_from_the_cache(service):
    form = drafts.current_form(service)
    key = blank_form_key(service, form)
    assert cache.get(key) is None
    first = paper_form_pdf(service, form)
    assert "Antrag: Hund zur Hundesteuer anmelden" in text_of(first)
    assert cache.get(key) == first
    cache.set(key, marker_pdf())  # a second rendering would not give this back
    assert paper_form_pdf(service, form) == marker_pdf()


@pytest.mark.django_db
def test_a_new_form_version_gets_a_new_pdf(service):
    old = drafts.current_form(service)
    paper_form_pdf(service, old)
    draft = service.form_draft
    draft.intro = "Neu: Hunde melden Sie jetzt auch für Pflegestellen an."
    draft.save()
    new = forms.publish(draft, by=None)
    assert new.version == old.version + 1
    assert blank_form_key(service, new) != blank_form_key(service, old)
    assert "Neu: Hunde melden Sie jetzt auch für Pflegestellen an." in text_of(
        paper_form_pdf(service, new)
    )
    assert "Pflegestellen an" not in text_of(paper_form_pdf(service, old))


@pytest.mark.django_db
def test_a_renamed_service_or_moved_office_is_not_served_from_an_old_pdf(service):
    form = drafts.current_form(service)
    paper_form_pdf(service, form)
    service.office.street = "Neue Straße 1"
    assert "Neue Straße 1" in text_of(paper_form_pdf(service, form))
    service.title = "Hund anmelden"
    assert "Antrag: Hund anmelden" in text_of(paper_form_pdf(service, form))


@pytest.mark.django_db
def test_a_form_filled_from_a_draft_is_rendered_and_not_cached(service):
    form = drafts.current_form(service)
    filled = paper_form_pdf(service, form, {"vorname": "Jonas", "nachname": "Becker"})
    assert "Jonas" in text_of(filled) and "Becker" in text_of(filled)
    assert cache.get(blank_form_key(service, form)) is None


@pytest.mark.django_db
def test_the_download_is_served_from_the_cache_the_second_time(client, service):
    url = f"/leistungen/{SLUG}/formular.pdf"
    first = client.get(url)
    assert first["Content-Type"] == "application/pdf"
    assert "Antrag: Hund zur Hundesteuer anmelden" in text_of(first.content)
    cache.set(blank_form_key(service, drafts.current_form(service)), marker_pdf())
    assert client.get(url).content == marker_pdf()
