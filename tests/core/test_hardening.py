"""Platform guarantees found missing in the outside review (issue 8): client addresses only
from trusted proxies, pages answer only the methods they serve, no key in the source tree."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from rathaus.core.ratelimit import client_ip

FEEDBACK = "/barrierefreiheit/"


def _request(remote: str, forwarded: str | None = None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_without_trusted_proxies_a_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_a_trusted_proxy_vouches_for_the_address_it_saw(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    # The client invented "1.2.3.4"; our proxy appended the address it really saw.
    assert client_ip(_request("10.0.0.5", "1.2.3.4, 203.0.113.9")) == "203.0.113.9"
    # Two of our proxies in a row: the first untrusted hop from the right is the client.
    assert client_ip(_request("10.0.0.5", "1.2.3.4, 203.0.113.9, 10.1.2.3")) == "203.0.113.9"


def test_a_forwarded_header_from_an_untrusted_sender_changes_nothing(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(_request("203.0.113.50", "10.0.0.1")) == "203.0.113.50"


def test_garbage_beyond_the_proxy_leaves_the_address_the_proxy_saw(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(_request("10.0.0.5", "<script>, nonsense")) == "10.0.0.5"
    assert client_ip(_request("10.0.0.5", "")) == "10.0.0.5"


@pytest.mark.django_db
def test_a_spoofed_header_does_not_buy_new_attempts(client, settings):
    """The feedback form allows 5 messages an hour per address; inventing a new
    X-Forwarded-For for each attempt must not reset the count."""
    settings.TRUSTED_PROXIES = []
    answers = []
    for number in range(7):
        response = client.post(
            FEEDBACK,
            {"message": f"Hinweis {number}", "page_url": "/"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}",
        )
        answers.append(response.status_code)
    assert answers[:5] == [302] * 5
    assert 302 not in answers[5:]


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["options", "put", "delete", "patch", "trace"])
@pytest.mark.parametrize("path", ["/", "/leistungen/", "/konto/anmelden/", FEEDBACK])
def test_pages_answer_only_get_head_and_post(client, method, path):
    response = client.generic(method.upper(), path)
    assert response.status_code == 405
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD", "POST"}


@pytest.mark.django_db
def test_head_still_works_on_pages(client):
    assert client.head("/leistungen/").status_code == 200


def test_the_data_folder_is_never_inside_the_source_tree(settings):
    assert not Path(settings.VAR_DIR).resolve().is_relative_to(settings.BASE_DIR)


def test_the_data_folder_does_not_follow_the_working_directory(tmp_path):
    """Started from inside the package (as a careless `cd src/rathaus` would), the data
    folder stays where the settings put it; no secret key lands in the source tree."""
    from django.conf import settings

    source = Path(settings.BASE_DIR)
    before = set(source.rglob("secret_key"))
    code = "from django.conf import settings; print(settings.VAR_DIR)"
    env = {"DJANGO_SETTINGS_MODULE": "rathaus.settings", "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=source,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert not Path(out).is_relative_to(source)
    assert set(source.rglob("secret_key")) == before


def test_no_var_folder_is_tracked_by_git():
    root = Path(__file__).resolve().parents[2]
    tracked = subprocess.run(
        [shutil.which("git") or "/usr/bin/git", "ls-files"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert not [path for path in tracked if "/var/" in f"/{path}" or path.endswith("secret_key")]


@pytest.mark.django_db
def test_check_fails_on_the_key_that_was_once_committed(settings, capsys):
    from rathaus.core.management.commands import selfcheck

    settings.SECRET_KEY = "published-" * 8
    digest = __import__("hashlib").sha256(settings.SECRET_KEY.encode()).hexdigest()
    selfcheck.PUBLISHED_KEY_DIGESTS.add(digest)
    try:
        with pytest.raises(CommandError):
            call_command("selfcheck")
    finally:
        selfcheck.PUBLISHED_KEY_DIGESTS.discard(digest)
    assert "steht im Quellcode-Repository" in capsys.readouterr().out


@pytest.mark.django_db
def test_check_fails_on_the_demo_mailbox_without_debug(settings, capsys):
    settings.RATHAUS = {**settings.RATHAUS, "DEMO_MAILBOX": True}
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("selfcheck")
    assert "DEMO_MAILBOX zeigt allen" in capsys.readouterr().out


@pytest.mark.django_db
def test_check_fails_while_a_test_switch_is_set(capsys, monkeypatch):
    monkeypatch.setenv("RATHAUS_TEST_GUARDS_OFF", "appointments.counter_day")
    with pytest.raises(CommandError):
        call_command("selfcheck")
    assert "RATHAUS_TEST_GUARDS_OFF" in capsys.readouterr().out
