"""The WebAuthn ceremonies with real signatures, and every way they must fail."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from rathaus.accounts.models import Challenge, Passkey, User
from rathaus.core.models import AuditEntry
from tests.passkeys import Authenticator
from tests.support import metric

from .conftest import authenticate, open_signup_link, post_json, register


@pytest.mark.django_db
@pytest.mark.parametrize("algorithm", ["ES256", "EdDSA"])
def test_sign_up_and_sign_in_with_a_passkey(resident, algorithm):
    resident.device = Authenticator(algorithm=algorithm)
    user = resident.sign_up()
    passkey = Passkey.objects.get(user=user)
    assert passkey.name == "Handy"
    assert passkey.transports == ["internal", "hybrid"]
    assert passkey.aaguid == "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4"
    resident.client.post("/konto/abmelden/")
    assert resident.client.get("/konto/").status_code == 302

    response = resident.sign_in()
    assert response.json() == {"redirect": "/konto/"}
    assert resident.client.get("/konto/").status_code == 200
    passkey.refresh_from_db()
    assert passkey.sign_count == 1
    assert passkey.last_used_at is not None


@pytest.mark.django_db
def test_sign_in_starts_a_new_session(resident):
    resident.sign_up()
    resident.client.post("/konto/abmelden/")
    resident.client.get("/konto/anmelden/")
    before = resident.client.session.session_key
    resident.sign_in()
    assert resident.client.session.session_key != before


@pytest.mark.django_db
def test_an_answer_for_another_origin_is_refused(resident):
    resident.sign_up()
    resident.client.post("/konto/abmelden/")
    resident.client.get("/konto/anmelden/")
    result = authenticate(resident.client, resident.device, origin="https://phishing.example")
    assert result["response"].status_code == 400
    assert "fehlgeschlagen" in result["response"].json()["error"]
    assert resident.client.get("/konto/").status_code == 302


@pytest.mark.django_db
def test_a_passkey_made_for_another_relying_party_is_refused(
    client, mail_dir, django_capture_on_commit_callbacks
):
    open_signup_link(client, mail_dir, django_capture_on_commit_callbacks, "rp@beispiel.de")
    result = register(client, Authenticator(), rp_id="phishing.example")
    assert result["response"].status_code == 400
    assert not User.objects.filter(email="rp@beispiel.de").exists()


@pytest.mark.django_db
def test_a_replayed_answer_is_refused(resident):
    resident.sign_up()
    resident.client.post("/konto/abmelden/")
    resident.client.get("/konto/anmelden/")
    first = authenticate(resident.client, resident.device)
    assert first["response"].status_code == 200
    resident.client.post("/konto/abmelden/")
    replay = post_json(
        resident.client,
        "/konto/passkey/anmeldung",
        {"challengeId": first["started"]["challengeId"], "credential": first["answer"]},
    )
    assert replay.status_code == 400
    assert "schon benutzt" in replay.json()["error"]


@pytest.mark.django_db
def test_an_unknown_credential_is_refused(resident):
    resident.sign_up()
    resident.client.post("/konto/abmelden/")
    stranger = Authenticator()
    stranger.register(
        {"publicKey": {"rp": {"id": "testserver"}, "user": {"id": "dXNlcg"}, "challenge": "eA"}},
        "http://testserver",
    )
    resident.client.get("/konto/anmelden/")
    result = authenticate(resident.client, stranger)
    assert result["response"].status_code == 400
    assert "nicht bekannt" in result["response"].json()["error"]


@pytest.mark.django_db
def test_a_tampered_signature_is_refused(resident):
    resident.sign_up()
    resident.client.post("/konto/abmelden/")
    resident.client.get("/konto/anmelden/")
    result = authenticate(resident.client, resident.device, tamper=True)
    assert result["response"].status_code == 400
    assert AuditEntry.objects.filter(action="rathaus.accounts.signin_failed").exists()


@pytest.mark.django_db
def test_an_expired_challenge_is_refused(resident):
    resident.sign_up()
    resident.client.post("/konto/abmelden/")
    resident.client.get("/konto/anmelden/")
    started = post_json(resident.client, "/konto/passkey/anmeldung/optionen").json()
    Challenge.objects.filter(pk=started["challengeId"]).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    answer = resident.device.authenticate(started, "http://testserver")
    failures = metric("rathaus_passkey_failures_total", ceremony="authentication")
    response = post_json(
        resident.client,
        "/konto/passkey/anmeldung",
        {"challengeId": started["challengeId"], "credential": answer},
    )
    assert response.status_code == 400
    assert metric("rathaus_passkey_failures_total", ceremony="authentication") == failures + 1
    assert "abgelaufen" in response.json()["error"]


@pytest.mark.django_db
def test_a_challenge_of_another_session_is_refused(resident):
    resident.sign_up()
    resident.client.post("/konto/abmelden/")
    attacker = Client()
    attacker.get("/konto/anmelden/")
    started = post_json(attacker, "/konto/passkey/anmeldung/optionen").json()
    resident.client.get("/konto/anmelden/")
    answer = resident.device.authenticate(started, "http://testserver")
    response = post_json(
        resident.client,
        "/konto/passkey/anmeldung",
        {"challengeId": started["challengeId"], "credential": answer},
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_a_counter_going_back_marks_the_passkey_as_possibly_cloned(resident):
    user = resident.sign_up()
    resident.client.post("/konto/abmelden/")
    assert resident.sign_in().status_code == 200
    assert resident.sign_in().status_code == 200  # counter now 2
    resident.client.post("/konto/abmelden/")
    resident.client.get("/konto/anmelden/")
    clone = authenticate(resident.client, resident.device, counter_step=-1)  # back to 1
    assert clone["response"].status_code == 400
    assert "kopiert" in clone["response"].json()["error"]
    passkey = Passkey.objects.get(user=user)
    assert passkey.flagged_at is not None
    assert AuditEntry.objects.filter(action="rathaus.accounts.passkey.possible_clone").exists()
    # Even with a counter that goes up again, the flagged passkey stays locked.
    resident.client.get("/konto/anmelden/")
    again = authenticate(resident.client, resident.device, counter_step=5)
    assert again["response"].status_code == 400
    assert "gesperrt" in again["response"].json()["error"]


@pytest.mark.django_db
def test_garbage_answers_get_a_clear_error(resident):
    resident.sign_up()
    resident.client.post("/konto/abmelden/")
    resident.client.get("/konto/anmelden/")
    started = post_json(resident.client, "/konto/passkey/anmeldung/optionen").json()
    for payload in [
        b"kein json",
        b"[1, 2]",
        b'{"challengeId": "x", "credential": "abc"}',
        b"{" + b'"a": "' + b"x" * 70_000 + b'"}',
    ]:
        response = resident.client.post(
            "/konto/passkey/anmeldung", data=payload, content_type="application/json"
        )
        assert response.status_code == 400
        assert response.json()["error"]
    assert Challenge.objects.filter(pk=started["challengeId"], used_at__isnull=True).exists()


@pytest.mark.django_db
def test_ceremony_endpoints_need_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    client.get("/konto/anmelden/")
    response = post_json(client, "/konto/passkey/anmeldung/optionen")
    assert response.status_code == 403


@pytest.mark.django_db
def test_registration_without_user_verification_is_refused(
    client, mail_dir, django_capture_on_commit_callbacks
):
    open_signup_link(client, mail_dir, django_capture_on_commit_callbacks, "ohne-uv@beispiel.de")
    result = register(client, Authenticator(), user_verified=False)
    assert result["response"].status_code == 400
    assert not User.objects.filter(email="ohne-uv@beispiel.de").exists()


@pytest.mark.django_db
def test_failures_with_one_passkey_are_limited_per_account(resident):
    resident.sign_up()
    resident.client.post("/konto/abmelden/")
    resident.client.get("/konto/anmelden/")
    statuses = [
        authenticate(resident.client, resident.device, tamper=True)["response"].status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [400] * 10
    assert statuses[10] == 429
    # The passkey waits, from any address: a right guess after wrong ones does not get in.
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    elsewhere.get("/konto/anmelden/")
    assert authenticate(elsewhere, resident.device)["response"].status_code == 429
