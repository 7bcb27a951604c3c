"""Upload checks: type by content, size, and virus scanning through the clamd protocol.

clamd cannot run here (it needs signature downloads), so a small local server that
speaks clamd's INSTREAM protocol stands in; the client code is the real one.
"""

import socket
import socketserver
import struct
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from rathaus.core.uploads import check_upload, scan, sniff

# The EICAR test string, assembled so this file itself is no test virus.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


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
    upload = SimpleUploadedFile("rechnung.pdf", b"%PDF-1.4\n" + EICAR)
    with pytest.raises(ValidationError, match="Schadsoftware"):
        check_upload(upload)


def test_a_clean_upload_passes_the_scanner(clamd):
    upload = SimpleUploadedFile("rechnung.pdf", b"%PDF-1.4\n" + b"x" * 200_000)
    assert check_upload(upload).kind == "pdf"


def test_without_a_reachable_scanner_uploads_are_refused(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CLAMAV_SOCKET = f"tcp://127.0.0.1:{port}"
    with pytest.raises(ValidationError, match="nicht auf Viren geprüft"):
        check_upload(SimpleUploadedFile("a.pdf", b"%PDF-1.4 ok"))


def test_the_scan_client_reports_the_virus_name(clamd):
    assert scan([b"%PDF-", EICAR], address=f"tcp://127.0.0.1:{clamd.server_address[1]}") == (
        "Eicar-Test-Signature"
    )
