import re
from email import message_from_bytes

import pytest

from rathaus.core.models import AccessibilityFeedback, AuditEntry

URL = "/barrierefreiheit/"


@pytest.mark.django_db
def test_statement_page_shows_the_form(client):
    html = client.get(URL + "?seite=/leistungen/").content.decode()
    assert "Erklärung zur Barrierefreiheit" in html
    assert 'name="message"' in html
    assert 'value="/leistungen/"' in html  # the page the resident came from


@pytest.mark.django_db
def test_foreign_page_addresses_are_not_taken_over(client):
    html = client.get(URL + "?seite=https://boese.example/").content.decode()
    field = re.search(r'<input[^>]*id="id_page_url"[^>]*>', html).group(0)
    assert "boese.example" not in field


@pytest.mark.django_db
def test_feedback_is_stored_and_mailed_to_the_contact(
    client, mail_dir, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL,
            {
                "message": "Der Kalender lässt sich nicht mit der Tastatur bedienen.",
                "page_url": "/termine/",
                "name": "Kim Muster",
                "email": "kim@beispiel.de",
            },
        )
    assert response.status_code == 302
    feedback = AccessibilityFeedback.objects.get()
    assert feedback.page_url == "/termine/"
    assert AuditEntry.objects.filter(action="rathaus.core.accessibility_feedback.received").exists()
    files = list(mail_dir.iterdir())
    assert len(files) == 1
    mail = message_from_bytes(files[0].read_bytes().split(b"\n-----", 1)[0])
    assert mail["To"] == settings.RATHAUS["ACCESSIBILITY_EMAIL"]
    assert mail["Reply-To"] == "kim@beispiel.de"
    body = mail.get_payload(decode=True).decode()
    assert "Tastatur" in body and "/termine/" in body
    follow = client.get(response["Location"])
    assert "Vielen Dank" in follow.content.decode()


@pytest.mark.django_db
def test_missing_message_gets_a_german_error_and_keeps_the_input(client):
    response = client.post(URL, {"message": "", "name": "Kim Muster", "email": "kein-at-zeichen"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bitte prüfen Sie Ihre Angaben" in html  # the error summary
    assert 'href="#id_message"' in html  # links to the field
    assert "Bitte beschreiben Sie die Barriere." in html
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein" in html
    assert 'value="Kim Muster"' in html
    assert 'value="kein-at-zeichen"' in html
    assert 'aria-invalid="true"' in html
    assert not AccessibilityFeedback.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("x" * 10_000, "höchstens 5000 Zeichen (derzeit 10000)"),
        ("Hallo\x00Welt", "Null"),  # Django's own null-character check
        ("Hallo\x1bWelt", "Steuerzeichen"),
        ("Text\u202eesrever", "Steuerzeichen"),
    ],
)
def test_hostile_text_is_refused_with_a_clear_message(client, message, expected):
    response = client.post(URL, {"message": message})
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert not AccessibilityFeedback.objects.exists()


@pytest.mark.django_db
def test_markup_is_stored_as_text_and_shown_escaped(
    client, django_capture_on_commit_callbacks, mail_dir
):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client.post(URL, {"message": hostile, "name": hostile})
    assert AccessibilityFeedback.objects.get().message == hostile
    response = client.post(URL, {"message": "", "name": hostile})
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.django_db
def test_bots_filling_the_honeypot_get_thanks_but_nothing_is_stored(client):
    response = client.post(URL, {"message": "Billige Uhren", "website": "http://spam.example"})
    assert response.status_code == 302
    assert not AccessibilityFeedback.objects.exists()


@pytest.mark.django_db
def test_more_than_five_reports_an_hour_are_refused(client, mail_dir):
    for _ in range(5):
        assert client.post(URL, {"message": "Kontrast zu schwach"}).status_code == 302
    response = client.post(URL, {"message": "Kontrast zu schwach"})
    assert response.status_code == 200
    assert "mehrere Rückmeldungen" in response.content.decode()
    assert AccessibilityFeedback.objects.count() == 5
