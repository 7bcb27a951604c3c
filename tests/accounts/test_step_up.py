"""Official requests need a fresh passkey confirmation; the resident loses nothing on the way."""

import time

import pytest

from rathaus.accounts.services.sessions import VERIFIED_AT
from tests.factories import UserFactory

from .conftest import authenticate


def age_verification(client, seconds: int) -> None:
    session = client.session
    session[VERIFIED_AT] = time.time() - seconds
    session.save()


@pytest.mark.django_db
def test_fresh_sign_in_with_user_verification_is_enough(resident):
    resident.sign_up()
    assert resident.client.get("/konto/loeschen/").status_code == 200


@pytest.mark.django_db
def test_after_fifteen_minutes_the_passkey_is_asked_again_and_brings_you_back(resident):
    resident.sign_up()
    age_verification(resident.client, 15 * 60 + 1)
    response = resident.client.get("/konto/daten/export.json")
    assert response.status_code == 302
    assert response["Location"] == "/konto/bestaetigen/?next=%2Fkonto%2Fdaten%2Fexport.json"
    resident.client.get(response["Location"])
    result = authenticate(resident.client, resident.device)
    assert result["response"].json() == {"redirect": "/konto/daten/export.json"}
    assert resident.client.get("/konto/daten/export.json").status_code == 200


@pytest.mark.django_db
def test_step_up_requires_user_verification(resident):
    resident.sign_up()
    age_verification(resident.client, 3600)
    resident.client.get("/konto/bestaetigen/?next=/konto/loeschen/")
    result = authenticate(resident.client, resident.device, user_verified=False)
    assert result["response"].status_code == 400
    assert resident.client.get("/konto/loeschen/").status_code == 302


@pytest.mark.django_db
def test_a_form_sent_without_confirmation_comes_back_filled_in(resident):
    resident.sign_up()
    age_verification(resident.client, 3600)
    response = resident.client.post("/konto/e-mail/", {"email": "neu.kim@beispiel.de"})
    assert response.status_code == 302
    step_up_url = response["Location"]
    assert step_up_url.startswith("/konto/bestaetigen/?next=%2Fkonto%2Fe-mail%2F%3Ffortsetzen%3D")
    resident.client.get(step_up_url)
    redirect_to = authenticate(resident.client, resident.device)["response"].json()["redirect"]
    html = resident.client.get(redirect_to).content.decode()
    assert 'value="neu.kim@beispiel.de"' in html
    assert 'action="/konto/e-mail/"' in html
    assert "Jetzt absenden" in html
    # Shown once: the saved form is gone afterwards.
    assert "neu.kim@beispiel.de" not in resident.client.get(redirect_to).content.decode()


@pytest.mark.django_db
def test_another_accounts_passkey_cannot_confirm(resident, other_resident):
    resident.sign_up()
    other_resident.sign_up()
    age_verification(resident.client, 3600)
    resident.client.get("/konto/bestaetigen/?next=/konto/loeschen/")
    result = authenticate(resident.client, other_resident.device)
    assert result["response"].status_code == 400


@pytest.mark.django_db
def test_signed_out_visitors_are_sent_to_sign_in_first(client):
    response = client.get("/konto/loeschen/")
    assert response["Location"] == "/konto/anmelden/?next=%2Fkonto%2Floeschen%2F"


@pytest.mark.django_db
def test_without_any_passkey_confirmation_a_session_is_not_strong(client):
    client.force_login(UserFactory())
    assert client.get("/konto/daten/export.json").status_code == 302
