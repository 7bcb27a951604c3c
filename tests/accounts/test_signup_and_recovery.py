from datetime import timedelta

import pytest
from django.utils import timezone

from rathaus.accounts.models import RecoveryCode, Token, User
from rathaus.core.secrets import normalise_code

from .conftest import body, link_in_last_mail, mails, register


@pytest.mark.django_db
def test_sign_up_asks_only_for_an_email_address(client):
    html = client.get("/konto/registrieren/").content.decode()
    assert 'name="email"' in html
    for field in ("name", "password", "birth", "address"):
        assert f'name="{field}' not in html


@pytest.mark.django_db
def test_the_answer_does_not_reveal_whether_an_address_is_registered(
    resident, other_resident, mail_dir, django_capture_on_commit_callbacks
):
    resident.sign_up()
    with django_capture_on_commit_callbacks(execute=True):
        known = other_resident.client.post("/konto/registrieren/", {"email": resident.email})
        unknown = other_resident.client.post("/konto/registrieren/", {"email": "neu@beispiel.de"})

    def main(response, email: str) -> str:
        html = response.content.decode()
        return html[html.index("<main") : html.index("</main>")].replace(email, "…")

    assert main(known, resident.email) == main(unknown, "neu@beispiel.de")
    # The mails differ: only the owner of the address learns that an account exists.
    to_known = [m for m in mails(mail_dir) if m["To"] == resident.email][-1]
    assert "schon ein Konto" in body(to_known)
    assert "http" not in body(to_known)


@pytest.mark.django_db
def test_signup_link_works_once(resident, other_resident):
    resident.sign_up()
    path = link_in_last_mail(resident.mail_dir, resident.email)
    assert other_resident.client.get(path).status_code == 404


@pytest.mark.django_db
def test_signup_link_expires(client, mail_dir, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/konto/registrieren/", {"email": "spaet@beispiel.de"})
    Token.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(link_in_last_mail(mail_dir, "spaet@beispiel.de"))
    assert response.status_code == 404
    assert "gilt nicht" in response.content.decode()


@pytest.mark.django_db
def test_bad_addresses_get_a_german_message_and_stay_in_the_field(client):
    for value, message in [
        ("", "Bitte geben Sie Ihre E-Mail-Adresse ein."),
        ("kim@", "gültige E-Mail-Adresse"),
        ("<script>@x.de", "gültige E-Mail-Adresse"),
        ("a" * 300 + "@beispiel.de", "254"),
    ]:
        html = client.post("/konto/registrieren/", {"email": value}).content.decode()
        assert message in html, value
    assert not Token.objects.filter(purpose=Token.Purpose.SIGNUP).exists()


@pytest.mark.django_db
def test_signup_is_rate_limited_per_address_and_per_caller(
    client, mail_dir, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            client.post("/konto/registrieren/", {"email": "viel@beispiel.de"})
    html = client.post("/konto/registrieren/", {"email": "viel@beispiel.de"}).content.decode()
    assert "Zu viele Versuche" in html
    assert Token.objects.filter(email="viel@beispiel.de").count() == 5


@pytest.mark.django_db
def test_new_account_gets_ten_recovery_codes_shown_once(resident):
    user = resident.sign_up()
    page = resident.client.get("/konto/wiederherstellungscodes/")
    html = page.content.decode()
    assert html.count("<code>") == 10
    assert RecoveryCode.objects.filter(user=user).count() == 10
    # Stored as digests only.
    for row in RecoveryCode.objects.filter(user=user):
        assert row.digest not in html and len(row.digest) == 64
    assert resident.client.get("/konto/wiederherstellungscodes/").status_code == 302


@pytest.mark.django_db
def test_a_recovery_code_signs_in_once_and_asks_for_a_new_passkey(resident):
    resident.sign_up()
    codes = _shown_codes(resident)
    resident.client.post("/konto/abmelden/")
    response = resident.client.post(
        "/konto/wiederherstellen/",
        {"email": resident.email, "code": codes[0].lower().replace("-", " ")},
    )
    assert response.status_code == 302
    assert response["Location"] == "/konto/passkeys/neu/"
    # Adding a passkey is allowed right after a recovery sign-in.
    resident.client.get("/konto/passkeys/neu/")
    assert (
        register(resident.client, resident.device, name="Neues Handy")["response"].status_code
        == 200
    )
    resident.client.post("/konto/abmelden/")
    again = resident.client.post(
        "/konto/wiederherstellen/", {"email": resident.email, "code": codes[0]}
    )
    assert "stimmen nicht" in again.content.decode()


@pytest.mark.django_db
def test_wrong_codes_get_one_generic_answer(resident):
    resident.sign_up()
    resident.client.post("/konto/abmelden/")
    for email in [resident.email, "gibt-es-nicht@beispiel.de"]:
        html = resident.client.post(
            "/konto/wiederherstellen/", {"email": email, "code": "AAAA-BBBB-CCCC"}
        ).content.decode()
        assert "E-Mail-Adresse oder Wiederherstellungscode stimmen nicht." in html


@pytest.mark.django_db
def test_recovery_is_rate_limited(resident):
    resident.sign_up()
    codes = _shown_codes(resident)
    resident.client.post("/konto/abmelden/")
    for _ in range(5):
        resident.client.post(
            "/konto/wiederherstellen/", {"email": resident.email, "code": "AAAA-BBBB-CCCC"}
        )
    html = resident.client.post(
        "/konto/wiederherstellen/", {"email": resident.email, "code": codes[1]}
    ).content.decode()
    assert "Zu viele Versuche" in html
    assert (
        not User.objects.get(email=resident.email)
        .recovery_codes.filter(used_at__isnull=False)
        .exists()
    )


def _shown_codes(resident) -> list[str]:
    import re

    html = resident.client.get("/konto/wiederherstellungscodes/").content.decode()
    return [normalise_code(c) for c in re.findall(r"<code>([A-Z0-9-]+)</code>", html)]
