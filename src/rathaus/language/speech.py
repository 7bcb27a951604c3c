"""Speech output: a page's main content, or a call-up announcement, as an MP3 file.

espeak-ng (Debian package) speaks the text in the page's language into a WAV file; lame
makes it an MP3, which every browser's own player plays. Files are cached under
``VAR_DIR/speech`` by the hash of voice and text, so a page is synthesised once per
version and language, and a file's name says nothing about its content.

``page_text`` reads a page as an anonymous visitor would see it: the page is rendered
through the whole middleware stack without the caller's cookies (only language and Leichte
Sprache carry over), so reading aloud can never reveal what is private to the caller. It
runs inside the caller's request, so it sends no request signals (they would close the
caller's database connection).
"""

import hashlib
import io
import os
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.urls import Resolver404, resolve

from .services import EASY_COOKIE

# espeak-ng voices by interface language.
VOICES = {"de": "de", "en": "en-gb", "tr": "tr", "uk": "uk", "ar": "ar", "pl": "pl", "ja": "ja"}
MAX_CHARACTERS = 20_000
WORDS_PER_MINUTE = 150
TIMEOUT_SECONDS = 60
# Parts of <main> that are not content: navigation, forms, the page tools themselves.
SKIPPED_TAGS = {"script", "style", "nav", "form", "button", "audio", "svg", "template"}
VOID_TAGS = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col", "area"}
BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "tr", "section", "div"}


class SpeechUnavailable(RuntimeError):
    """espeak-ng or lame is not installed (the message says how to install them) or failed."""


class PageNotReadable(LookupError):
    """The address is not a public page of this site."""


class _MainText(HTMLParser):
    """The text of ``<main>``, without what is hidden or not content."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_main = 0
        self.skipping: list[str] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_TAGS:
            return
        attributes = dict(attrs)
        if tag == "main":
            self.in_main += 1
        elif self.skipping or (
            tag in SKIPPED_TAGS
            or "hidden" in attributes
            or attributes.get("aria-hidden") == "true"
            or "data-nicht-vorlesen" in attributes
        ):
            self.skipping.append(tag)
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS:
            return
        if self.skipping:
            self.skipping.pop()
        elif tag == "main":
            self.in_main -= 1
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_main and not self.skipping:
            self.parts.append(data)

    def text(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self.parts).splitlines())
        return "\n".join(line for line in lines if line)


def main_text(html: str) -> str:
    parser = _MainText()
    parser.feed(html)
    parser.close()
    return parser.text()


_handler: BaseHandler | None = None


def page_text(path: str, *, language: str, easy: bool, host: str, secure: bool) -> str:
    """The main content of the public page at ``path`` (a path of this site, no host), asked
    for at ``host`` like the caller's own request."""
    global _handler
    # Without its query: a content page reads the same, and the number of texts (and files)
    # stays bounded by the content, whatever addresses someone makes up.
    route = path.partition("?")[0]
    if not route.startswith("/") or route.startswith("//") or route.startswith("/vorlesen/"):
        raise PageNotReadable(path)
    try:
        resolve(route)
    except Resolver404 as error:
        raise PageNotReadable(path) from error
    if _handler is None:
        _handler = BaseHandler()
        _handler.load_middleware()
    cookies = f"{settings.LANGUAGE_COOKIE_NAME}={language}" + (f"; {EASY_COOKIE}=1" if easy else "")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": route.encode().decode("iso-8859-1"),  # WSGI: bytes as latin-1
        "QUERY_STRING": "",
        "SERVER_NAME": host.rsplit(":", 1)[0],
        "SERVER_PORT": "443" if secure else "80",
        "HTTP_HOST": host,
        "HTTP_COOKIE": cookies,
        "HTTP_ACCEPT_LANGUAGE": language,
        "wsgi.url_scheme": "https" if secure else "http",
        **({"HTTPS": "on"} if secure else {}),
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
    }
    response = _handler.get_response(WSGIRequest(environ))
    if response.status_code != 200 or response.streaming:
        raise PageNotReadable(path)
    return main_text(response.content.decode(response.charset or "utf-8", "replace"))


def _cache_dir() -> Path:
    directory = Path(settings.VAR_DIR) / "speech"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def audio_name(text: str, language: str) -> str:
    voice = VOICES.get(language, VOICES["de"])
    digest = hashlib.sha256(f"{voice}\n{text}".encode()).hexdigest()[:40]
    return f"{digest}.mp3"


def audio_path(name: str) -> Path | None:
    """The cached file called ``name`` (as ``audio_name`` made it), if it exists."""
    if (
        len(name) != 44
        or not name.endswith(".mp3")
        or not all(c in "0123456789abcdef" for c in name[:40])
    ):
        return None
    path = _cache_dir() / name
    return path if path.is_file() else None


def synthesise(text: str, language: str) -> str:
    """Speak ``text`` in ``language`` into the cache; return the file's name."""
    espeak, lame = shutil.which("espeak-ng"), shutil.which("lame")
    missing = [name for name, path in (("espeak-ng", espeak), ("lame", lame)) if path is None]
    if missing:
        raise SpeechUnavailable(
            f"{' und '.join(missing)} fehlt: apt-get install espeak-ng lame (oder make run)."
        )
    text = text[:MAX_CHARACTERS]
    name = audio_name(text, language)
    target = _cache_dir() / name
    if target.is_file():
        return name
    voice = VOICES.get(language, VOICES["de"])
    with tempfile.TemporaryDirectory(dir=_cache_dir()) as work:
        wav, mp3 = Path(work) / "speech.wav", Path(work) / "speech.mp3"
        try:
            subprocess.run(  # noqa: S603 – fixed tools; the text goes in on stdin
                [espeak, "-v", voice, "-s", str(WORDS_PER_MINUTE), "-w", str(wav), "--stdin"],
                input=text.encode(),
                check=True,
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
            )
            subprocess.run(  # noqa: S603
                [lame, "--quiet", "-V", "7", str(wav), str(mp3)],
                check=True,
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
            stderr = getattr(error, "stderr", b"") or b""
            raise SpeechUnavailable(
                f"Sprachausgabe fehlgeschlagen ({voice}): {stderr.decode(errors='replace')[:200]}"
            ) from error
        os.replace(mp3, target)
    return name
