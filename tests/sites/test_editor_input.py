"""Bad input in the editor: oversize and broken uploads, missing and hostile fields. Each is
refused with a German message next to what was entered, and nothing is half-saved; what is
saved is shown escaped on the site, in its structured data, feed and search."""

import html
import io
import json
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from rathaus.sites import services
from rathaus.sites.models import ContentPage, NewsIndexPage, NewsPage

from .conftest import client_for, staff_in

pytestmark = pytest.mark.django_db
HOSTILE = '<script>alert("x")</script> Lesecafé & "Bücher" \u202eevil'


def _png(padding: int = 0) -> bytes:
    from PIL import Image as Picture

    buffer = io.BytesIO()
    Picture.new("RGB", (40, 30), "#336699").save(buffer, "PNG")
    return buffer.getvalue() + b"\0" * padding


def _oversize() -> int:
    return settings.FILE_UPLOAD_MAX_BYTES + 1


def _text(response) -> str:
    return response.content.decode()


def test_an_oversize_image_is_refused_in_german_and_the_title_kept(library):
    editor = client_for(staff_in(library.editors))
    upload = SimpleUploadedFile("plakat.png", _png(_oversize()), content_type="image/png")
    response = editor.post("/redaktion/images/add/", {"title": "Plakat Lesenacht", "file": upload})
    assert response.status_code == 200
    text = _text(response)
    assert "zu groß" in text and "10,0" in text
    assert 'value="Plakat Lesenacht"' in text
    assert not Image.objects.filter(title="Plakat Lesenacht").exists()


def test_a_file_that_is_no_image_is_refused_in_german(library):
    editor = client_for(staff_in(library.editors))
    upload = SimpleUploadedFile("foto.png", b"MZ\x90\x00 not an image", content_type="image/png")
    response = editor.post("/redaktion/images/add/", {"title": "Foto", "file": upload})
    assert response.status_code == 200
    assert "Die hochgeladene Datei ist kein Bild oder ist defekt." in _text(response)
    assert not Image.objects.filter(title="Foto").exists()


def test_an_oversize_document_is_refused_with_its_size_and_nothing_saved(library):
    editor = client_for(staff_in(library.editors))
    upload = SimpleUploadedFile("satzung.pdf", b"%PDF-1.4\n" + b"0" * _oversize())
    response = editor.post(
        "/redaktion/documents/add/", {"title": "Benutzungssatzung", "file": upload}
    )
    assert response.status_code == 200
    text = _text(response)
    assert "„satzung.pdf“ ist zu groß (10,0 MB). Erlaubt sind höchstens 10 MB." in text
    assert 'value="Benutzungssatzung"' in text
    assert not Document.objects.filter(title="Benutzungssatzung").exists()
    # Within the limit, the same form takes it.
    upload = SimpleUploadedFile("satzung.pdf", b"%PDF-1.4\n%%EOF\n")
    response = editor.post(
        "/redaktion/documents/add/", {"title": "Benutzungssatzung", "file": upload}
    )
    assert response.status_code == 302
    assert Document.objects.filter(title="Benutzungssatzung").exists()


def test_a_document_of_a_type_not_allowed_is_refused(library):
    editor = client_for(staff_in(library.editors))
    upload = SimpleUploadedFile("setup.exe", b"MZ\x90\x00")
    response = editor.post("/redaktion/documents/add/", {"title": "Programm", "file": upload})
    assert response.status_code == 200
    assert "Dateiendung" in _text(response)
    assert not Document.objects.filter(title="Programm").exists()


def _new_page_data(**fields) -> dict:
    body = [("text", rich_text("<h2>Lesecafé</h2><p>Kaffee und Zeitungen im Erdgeschoss.</p>"))]
    return nested_form_data(
        {
            "title": "Lesecafé",
            "slug": "lesecafe",
            "intro": "Unser Café für alle, die lesen.",
            "easy_language": "",
            "body": streamfield(body),
        }
        | fields
    )


def _add_url(parent: Page) -> str:
    return f"/redaktion/pages/add/sites/contentpage/{parent.pk}/"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": ""}, "Dieses Feld ist zwingend erforderlich."),
        ({"title": "L" * 300}, "höchstens 255 Zeichen"),
        ({"slug": "lese café/../<b>"}, "gültige"),
    ],
    ids=["missing title", "overlong title", "hostile address"],
)
def test_a_new_page_with_bad_fields_is_refused_with_the_entries_kept(library, fields, message):
    editor = client_for(staff_in(library.editors))
    pages = Page.objects.count()
    response = editor.post(_add_url(library.root), _new_page_data(**fields))
    assert response.status_code == 200
    text = _text(response)
    assert message in text
    assert "Unser Café für alle, die lesen." in text  # what was entered is still there
    assert "Kaffee und Zeitungen im Erdgeschoss." in text
    assert Page.objects.count() == pages


def test_a_hostile_title_is_saved_as_text_and_shown_escaped_everywhere(library):
    editor = client_for(staff_in(library.editors))
    response = editor.post(_add_url(library.root), _new_page_data(title=HOSTILE))
    assert response.status_code == 302
    page = ContentPage.objects.get(slug="lesecafe")
    assert page.title == HOSTILE  # kept as the editor wrote it, never "cleaned" silently
    services.publish_as_system(page)
    news = NewsIndexPage(title="Aktuelles", slug="aktuelles")
    library.root.add_child(instance=news)
    services.publish_as_system(news)
    item = NewsPage(title=HOSTILE, slug="neu", body=json.dumps([]))
    news.add_child(instance=item)
    services.publish_as_system(item)
    visitor = Client(HTTP_HOST="testbuecherei.localhost")
    for url in ("/lesecafe/", "/aktuelles/", "/aktuelles/neu/", "/aktuelles/feed/"):
        body = _text(visitor.get(url))
        assert '<script>alert("x")' not in body, url
        assert "alert(" in body, url  # shown, as text
    page_html = _text(visitor.get("/lesecafe/"))
    for data in re.findall(
        r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page_html, re.S
    ):
        assert "</script" not in data
        json.loads(data)  # still valid JSON with the title inside
    assert HOSTILE in html.unescape(page_html)
    search = _text(visitor.get("/seiten/suche/", {"q": "Lesecafé"}))
    assert "alert(" in search and '<script>alert("x")' not in search
