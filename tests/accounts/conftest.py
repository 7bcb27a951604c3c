"""Residents and staff who sign up, sign in and step up with a software authenticator."""

import io
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client
from pypdf import PdfReader

from rathaus.accounts.models import User
from tests.passkeys import Authenticator
from tests.support import mails

ORIGIN = "http://testserver"


def body(message) -> str:
    return message.get_content()


def link_in_last_mail(mail_dir: Path, to: str) -> str:
    """The path of the first link in the newest mail to ``to``."""
    for message in reversed(mails(mail_dir)):
        if message["To"] == to:
            url = re.search(r"https?://\S+", body(message)).group(0)
            return urlsplit(url).path
    raise AssertionError(f"Keine E-Mail an {to}")


def post_json(client, url: str, payload: dict | None = None):
    return client.post(url, data=json.dumps(payload or {}), content_type="application/json")


def register(client, authenticator: Authenticator, *, name: str = "Handy", **kwargs) -> dict:
    """Run a registration ceremony on the page the client has just opened."""
    started = post_json(client, "/konto/passkey/registrierung/optionen").json()
    answer = authenticator.register(started, kwargs.pop("origin", ORIGIN), **kwargs)
    response = post_json(
        client,
        "/konto/passkey/registrierung",
        {"challengeId": started["challengeId"], "credential": answer, "name": name},
    )
    return {"response": response, "started": started, "answer": answer}


def authenticate(client, authenticator: Authenticator, **kwargs) -> dict:
    started = post_json(client, "/konto/passkey/anmeldung/optionen").json()
    origin = kwargs.pop("origin", ORIGIN)
    answer = authenticator.authenticate(started, origin, **kwargs)
    response = post_json(
        client,
        "/konto/passkey/anmeldung",
        {"challengeId": started["challengeId"], "credential": answer},
    )
    return {"response": response, "started": started, "answer": answer}


def represent_account(
    staff_client, email: str, *, consent: str = "in_person", channel: str = "counter", **extra
):
    """A caseworker starts acting for the account with this address (one office)."""
    return staff_client.post(
        "/verwaltung/buergerservice/konto-vertreten/",
        {
            "email": email,
            "consent": consent,
            "channel": channel,
            "purpose": "Antrag auf Bewohnerparkausweis",
            **extra,
        },
    )


def letter_text(response) -> str:
    assert response["Content-Type"] == "application/pdf", response.status_code
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)


def letter_code(response) -> str:
    """The access code printed in a letter PDF."""
    return re.search(r"\b([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})\b", letter_text(response)).group(1)


def mails_to(mail_dir: Path, to: str) -> list:
    return [m for m in mails(mail_dir) if m["To"] == to]


def open_signup_link(client, mail_dir: Path, capture, email: str) -> None:
    """Ask for a sign-up link and open it, as someone would from their mailbox."""
    with capture(execute=True):
        client.post("/konto/registrieren/", {"email": email})
    client.get(link_in_last_mail(mail_dir, email))


class Resident:
    """A person with a device: signs up by e-mail link and passkey, then signs in and steps up."""

    def __init__(self, client, mail_dir: Path, capture, email: str):
        self.client, self.mail_dir, self.capture, self.email = client, mail_dir, capture, email
        self.device = Authenticator()

    def sign_up(self) -> User:
        open_signup_link(self.client, self.mail_dir, self.capture, self.email)
        result = register(self.client, self.device)
        assert result["response"].status_code == 200, result["response"].content
        return User.objects.get(email=self.email)

    def sign_in(self):
        self.client.get("/konto/anmelden/")
        return authenticate(self.client, self.device)["response"]

    def step_up(self, next_url: str = "/konto/"):
        self.client.get(f"/konto/bestaetigen/?next={next_url}")
        return authenticate(self.client, self.device)["response"]


@pytest.fixture
def resident(mail_dir, django_capture_on_commit_callbacks) -> Resident:
    """A resident with a browser of their own (not the test's ``client``)."""
    return Resident(
        Client(), mail_dir, django_capture_on_commit_callbacks, "kim.muster@beispiel.de"
    )


@pytest.fixture
def other_resident(mail_dir, django_capture_on_commit_callbacks) -> Resident:
    return Resident(
        Client(), mail_dir, django_capture_on_commit_callbacks, "ali.beispiel@beispiel.de"
    )
