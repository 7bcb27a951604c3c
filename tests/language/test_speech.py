"""Speech output: a public page's main content becomes an MP3 file made by espeak-ng, which
any browser plays; private pages are never read, and the call-up display speaks too."""

import io

import pytest
from django.urls import reverse
from mutagen.mp3 import MP3

from rathaus.accounts.models import User
from rathaus.language import speech

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _speech_cache(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def _audio(client, response):
    assert response.status_code == 302, response.content[:300]
    audio = client.get(response["Location"])
    assert audio.status_code == 200
    assert audio["Content-Type"] == "audio/mpeg"
    return MP3(io.BytesIO(b"".join(audio.streaming_content)))


def test_a_service_page_is_read_without_navigation_or_footer(client):
    text = speech.page_text(
        "/leistungen/hundesteuer-anmelden/",
        language="de",
        easy=False,
        host="testserver",
        secure=False,
    )
    assert text.startswith("Hund zur Hundesteuer anmelden")
    assert "Hundesteuermarke" in text
    for elsewhere in ("Hauptnavigation", "Impressum", "Vorlesen", "Fragen? Der Service-Assistent"):
        assert elsewhere not in text


def test_read_aloud_gives_an_mp3_whose_length_fits_the_text(client):
    url = reverse("language:read_aloud")
    short = _audio(client, client.get(url, {"seite": "/kontakt/"}))
    long = _audio(client, client.get(url, {"seite": "/leistungen/personalausweis-beantragen/"}))
    assert short.info.layer == 3 and short.info.sample_rate in {22050, 24000}
    assert 3 < short.info.length < long.info.length
    words = len(
        speech.page_text(
            "/leistungen/personalausweis-beantragen/",
            language="de",
            easy=False,
            host="testserver",
            secure=False,
        ).split()
    )
    minutes = long.info.length / 60
    assert 0.5 * speech.WORDS_PER_MINUTE < words / minutes < 2 * speech.WORDS_PER_MINUTE


def test_the_same_text_is_synthesised_once(client, settings):
    url = reverse("language:read_aloud")
    first = client.get(url, {"seite": "/kontakt/"})["Location"]
    made = sorted((settings.VAR_DIR / "speech").glob("*.mp3"))
    assert client.get(url, {"seite": "/kontakt/"})["Location"] == first
    assert sorted((settings.VAR_DIR / "speech").glob("*.mp3")) == made
    english = client.get(url, {"seite": "/kontakt/"}, HTTP_COOKIE="django_language=en")
    assert english["Location"] != first


def test_easy_language_is_read_when_switched_on(client):
    plain = speech.page_text(
        "/kontakt/", language="de", easy=False, host="testserver", secure=False
    )
    easy = speech.page_text("/kontakt/", language="de", easy=True, host="testserver", secure=False)
    assert "Leichte Sprache" in easy and "Leichte Sprache" not in plain


@pytest.mark.parametrize(
    "path",
    [
        "/konto/",
        "https://evil.example/",
        "//evil.example/",
        "/gibt-es-nicht/",
        "/vorlesen/?seite=/",
        "",
    ],
)
def test_only_public_pages_of_this_site_are_read(client, path):
    response = client.get(reverse("language:read_aloud"), {"seite": path})
    assert response.status_code == 404
    assert "kann nicht vorgelesen werden" in response.content.decode()


def test_a_signed_in_resident_hears_the_public_page_not_their_data(client):
    user = User.objects.create_user(email="lesen@example.org", password="x-Geheim-123456")
    client.force_login(user)
    text = speech.page_text("/", language="de", easy=False, host="testserver", secure=False)
    assert "lesen@example.org" not in text
    assert client.get(reverse("language:read_aloud"), {"seite": "/konto/"}).status_code == 404


def test_the_query_of_a_page_does_not_make_new_audio(client):
    url = reverse("language:read_aloud")
    plain = client.get(url, {"seite": "/kontakt/"})["Location"]
    assert client.get(url, {"seite": "/kontakt/?x=1"})["Location"] == plain


def test_reading_aloud_is_limited_per_address(client, settings):
    settings.READ_ALOUD_PER_IP_MINUTE = 2
    url = reverse("language:read_aloud")
    codes = [client.get(url, {"seite": "/kontakt/"}).status_code for _ in range(3)]
    assert codes == [302, 302, 429]


@pytest.mark.parametrize("name", ["../../etc/passwd", "x" * 40 + ".mp3", "a" * 40 + ".wav"])
def test_audio_files_are_only_the_cached_ones(client, name):
    assert client.get(f"/vorlesen/{name}").status_code == 404


def test_a_failing_voice_is_a_clear_503_not_an_error(client, monkeypatch):
    monkeypatch.setitem(speech.VOICES, "de", "xx-keine-stimme")
    response = client.get(reverse("language:read_aloud"), {"seite": "/kontakt/"})
    assert response.status_code == 503
    assert "nicht verfügbar" in response.content.decode()


def test_without_espeak_the_page_says_what_to_do(client, monkeypatch):
    monkeypatch.setattr(speech.shutil, "which", lambda tool: None)
    response = client.get(reverse("language:read_aloud"), {"seite": "/kontakt/"})
    assert response.status_code == 503
    assert "nicht verfügbar" in response.content.decode()
