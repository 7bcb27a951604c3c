"""Upload checks: name, type by content (really parsed), size, and virus scanning.

Every file here is made by the real libraries (pypdf, Pillow). clamd cannot run here (it
needs signature downloads), so a small local server that speaks clamd's INSTREAM protocol
stands in; the client code is the real one.
"""

import http.client
import io
import json
import os
import socket
import socketserver
import struct
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from PIL import Image
from pypdf import PdfWriter

from rathaus.core.upload_limits import request_limit
from rathaus.core.uploads import MAX_IMAGE_PIXELS, check_upload, scan, sniff

LIMIT_MIDDLEWARE = "rathaus.core.upload_limits.UploadSizeLimitMiddleware"

# The EICAR test string, assembled so this file itself is no test virus.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def real_pdf(*, attachment: bytes = b"", user_password: str | None = None) -> bytes:
    """A one-page PDF written by pypdf (optionally with an attached file or encrypted)."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if attachment:
        writer.add_attachment("anlage.bin", attachment)
    if user_password is not None:
        writer.encrypt(user_password=user_password, owner_password="amt", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def real_image(kind: str, size: tuple[int, int] = (40, 30), mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, kind)
    return buffer.getvalue()


class FakeClamd(socketserver.BaseRequestHandler):
    def handle(self):
        command = b""
        while not command.endswith(b"\0"):
            command += self.request.recv(1)
        assert command == b"zINSTREAM\0"
        data = b""
        while True:
            size = struct.unpack(">I", self._read(4))[0]
            if size == 0:
                break
            data += self._read(size)
        found = EICAR in data
        self.request.sendall(b"stream: Eicar-Test-Signature FOUND\0" if found else b"stream: OK\0")

    def _read(self, n: int) -> bytes:
        buffer = b""
        while len(buffer) < n:
            buffer += self.request.recv(n - len(buffer))
        return buffer


@pytest.fixture
def clamd(settings):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), FakeClamd)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.CLAMAV_SOCKET = f"tcp://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


def test_types_are_known_by_their_first_bytes():
    assert sniff(b"%PDF-1.7") == "pdf"
    assert sniff(b"\xff\xd8\xff\xe0") == "jpeg"
    assert sniff(b"\x89PNG\r\n\x1a\n") == "png"
    assert sniff(b"MZ\x90\x00") is None
    assert sniff(b"<html>") is None


def test_an_infected_upload_is_refused(clamd):
    upload = SimpleUploadedFile("rechnung.pdf", real_pdf(attachment=EICAR))
    with pytest.raises(ValidationError, match="Schadsoftware"):
        check_upload(upload)


def test_a_clean_upload_passes_the_scanner(clamd):
    # 200 kB: the scan client sends it in several chunks
    upload = SimpleUploadedFile("rechnung.pdf", real_pdf(attachment=os.urandom(200_000)))
    assert check_upload(upload).kind == "pdf"


def test_without_a_reachable_scanner_uploads_are_refused(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CLAMAV_SOCKET = f"tcp://127.0.0.1:{port}"
    with pytest.raises(ValidationError, match="nicht auf Viren geprüft"):
        check_upload(SimpleUploadedFile("a.pdf", real_pdf()))


def test_the_scan_client_reports_the_virus_name(clamd):
    assert scan([b"%PDF-", EICAR], address=f"tcp://127.0.0.1:{clamd.server_address[1]}") == (
        "Eicar-Test-Signature"
    )


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("Bescheinigung Müller.pdf", real_pdf(), "pdf"),
        ("foto.jpg", real_image("JPEG"), "jpeg"),
        ("foto.png", real_image("PNG"), "png"),
        # only an owner password (printing restrictions): opens without one
        ("kontoauszug.pdf", real_pdf(user_password=""), "pdf"),
    ],
)
def test_real_files_are_accepted(name, content, kind):
    upload = SimpleUploadedFile(name, content)
    assert check_upload(upload).kind == kind
    assert upload.read() == content  # left at the start for storing


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7\n<html><body><script>alert(1)</script></body></html>", "keine lesbare PDF"),
        (real_pdf()[:300], "keine lesbare PDF"),  # cut off: no cross-reference table
        (real_pdf(user_password="geheim"), "mit einem Kennwort geschützt"),
        (b"\x89PNG\r\n\x1a\n<html>not an image</html>", "kein lesbares Bild"),
        (b"\xff\xd8\xff\xe0<html>not an image</html>", "kein lesbares Bild"),
    ],
)
def test_a_file_that_only_starts_like_an_allowed_kind_is_refused(content, message):
    with pytest.raises(ValidationError, match=message):
        check_upload(SimpleUploadedFile("nachweis.pdf", content))


def test_a_damaged_png_is_refused():
    png = bytearray(real_image("PNG"))
    png[-20] ^= 0xFF  # a byte of the image data: its checksum no longer matches
    with pytest.raises(ValidationError, match="kein lesbares Bild"):
        check_upload(SimpleUploadedFile("foto.png", bytes(png)))


@pytest.mark.parametrize(
    "size",
    [
        (20000, 20000),  # 400 megapixels: Pillow itself calls it a decompression bomb
        (8000, 6000),  # 48 megapixels: below Pillow's limit, above ours
    ],
)
def test_an_image_that_unpacks_into_too_many_pixels_is_refused(size):
    content = real_image("PNG", size, mode="1")
    assert len(content) < 100_000  # small on disk, huge in memory
    with pytest.raises(ValidationError, match="zu viele Bildpunkte") as refused:
        check_upload(SimpleUploadedFile("plan.png", content))
    assert f"höchstens {MAX_IMAGE_PIXELS // 1_000_000} Megapixel" in str(refused.value)


@pytest.mark.parametrize(
    "char",
    [
        "\u202e",  # RIGHT-TO-LEFT OVERRIDE: "rechnung\u202efdp.exe" shows as "rechnungexe.pdf"
        "\u202a",
        "\u202b",
        "\u202c",
        "\u202d",
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",
        "\u200e",
        "\u200f",
        "\x00",
        "\x1b",
        "\n",
        "\x7f",
    ],
)
def test_file_names_with_control_characters_are_refused(char):
    with pytest.raises(ValidationError, match="unsichtbare Steuerzeichen") as refused:
        check_upload(SimpleUploadedFile(f"rechnung{char}fdp.pdf", real_pdf()))
    assert "„rechnungfdp.pdf“" in str(refused.value)  # shown without the hidden character


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def server(settings):
    """A real HTTP server (Django's threaded WSGI server) with the upload limit in place."""
    if LIMIT_MIDDLEWARE not in settings.MIDDLEWARE:
        position = settings.MIDDLEWARE.index(
            "django.contrib.auth.middleware.AuthenticationMiddleware"
        )
        settings.MIDDLEWARE = [
            *settings.MIDDLEWARE[: position + 1],
            LIMIT_MIDDLEWARE,
            *settings.MIDDLEWARE[position + 1 :],
        ]
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    httpd = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler)
    httpd.set_app(WSGIHandler())  # built now: it loads the middleware above
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def announcing(
    port: int, path: str, length: int, content_type: str, *, timeout: float = 5
) -> http.client.HTTPConnection:
    """A POST that announces ``length`` bytes but sends only the first few. It carries a CSRF
    cookie, so Django's CSRF check reads the body for the token: a server that reads the body
    waits for bytes that never come, and the client times out."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    connection.putrequest("POST", path)
    connection.putheader("Cookie", "csrftoken=" + "a" * 32)
    connection.putheader("Content-Type", content_type)
    connection.putheader("Content-Length", str(length))
    connection.endheaders(b"--grenze\r\nContent-Disposition: form-data; name=")
    return connection


MULTIPART = "multipart/form-data; boundary=grenze"


def test_an_oversize_upload_is_refused_before_its_body_is_read(server):
    path = "/antraege/neu/hundesteuer-anmelden/"
    connection = announcing(server, path, 50 * 1048576, MULTIPART)
    response = connection.getresponse()
    html = response.read().decode()
    connection.close()
    assert response.status == 413
    assert "Die Dateien sind zu groß" in html
    assert "höchstens 10 MB" in html and "Es wurde nichts gespeichert" in html
    assert f'href="{path}"' in html  # back to the form


def test_the_api_refuses_an_oversize_body_in_english(server):
    connection = announcing(server, "/api/v1/leistungen/", request_limit() + 1, MULTIPART)
    response = connection.getresponse()
    body = json.loads(response.read())
    connection.close()
    assert response.status == 413
    assert "too large" in body["detail"]


def test_a_body_within_the_limit_is_read_as_usual(server):
    connection = announcing(
        server, "/antraege/neu/hundesteuer-anmelden/", request_limit(), MULTIPART, timeout=2
    )
    with pytest.raises(TimeoutError):  # the server waits for the announced body
        connection.getresponse()
    connection.close()
