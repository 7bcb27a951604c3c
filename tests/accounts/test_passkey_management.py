import pytest

from rathaus.accounts.models import Passkey, RecoveryCode

from .conftest import register


@pytest.mark.django_db
def test_add_a_second_passkey_and_sign_in_with_either(resident):
    user = resident.sign_up()
    resident.client.get("/konto/passkeys/neu/")
    from tests.passkeys import Authenticator

    key = Authenticator()
    assert register(resident.client, key, name="Sicherheitsschlüssel")["response"].json() == {
        "redirect": "/konto/passkeys/"
    }
    assert [p.name for p in Passkey.objects.filter(user=user)] == ["Handy", "Sicherheitsschlüssel"]
    resident.client.post("/konto/abmelden/")
    resident.device = key
    assert resident.sign_in().status_code == 200


@pytest.mark.django_db
def test_the_same_authenticator_cannot_be_added_twice(resident):
    resident.sign_up()
    resident.client.get("/konto/passkeys/neu/")
    from .conftest import post_json

    started = post_json(resident.client, "/konto/passkey/registrierung/optionen").json()
    excluded = [c["id"] for c in started["publicKey"]["excludeCredentials"]]
    assert len(excluded) == 1  # the browser refuses to make a second one on the same device


@pytest.mark.django_db
def test_rename_keeps_the_input_on_errors_and_saves_good_names(resident):
    user = resident.sign_up()
    passkey = Passkey.objects.get(user=user)
    html = resident.client.post(
        f"/konto/passkeys/{passkey.pk}/umbenennen/", {"name": "x" * 150}
    ).content.decode()
    assert "höchstens 100 Zeichen" in html
    resident.client.post(f"/konto/passkeys/{passkey.pk}/umbenennen/", {"name": "Tablet <b>"})
    passkey.refresh_from_db()
    assert passkey.name == "Tablet <b>"
    assert "Tablet &lt;b&gt;" in resident.client.get("/konto/passkeys/").content.decode()


@pytest.mark.django_db
def test_the_last_passkey_can_go_only_while_recovery_codes_remain(resident):
    user = resident.sign_up()
    passkey = Passkey.objects.get(user=user)
    RecoveryCode.objects.filter(user=user).update(used_at="2026-11-26T10:00:00Z")
    response = resident.client.post(f"/konto/passkeys/{passkey.pk}/entfernen/", follow=True)
    assert "letzter Passkey" in response.content.decode()
    assert Passkey.objects.filter(user=user).exists()
    RecoveryCode.objects.filter(user=user).update(used_at=None)
    resident.client.post(f"/konto/passkeys/{passkey.pk}/entfernen/")
    assert not Passkey.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_new_recovery_codes_replace_the_old_ones(resident):
    user = resident.sign_up()
    old = set(RecoveryCode.objects.filter(user=user).values_list("digest", flat=True))
    resident.client.get("/konto/wiederherstellungscodes/")  # the first set was shown
    resident.client.post("/konto/wiederherstellungscodes/erneuern/")
    html = resident.client.get("/konto/wiederherstellungscodes/").content.decode()
    assert html.count("<code>") == 10
    new = set(RecoveryCode.objects.filter(user=user).values_list("digest", flat=True))
    assert len(new) == 10 and not old & new


@pytest.mark.django_db
def test_nobody_else_can_touch_my_passkeys(resident, other_resident):
    user = resident.sign_up()
    other_resident.sign_up()
    passkey = Passkey.objects.get(user=user)
    for url in [
        f"/konto/passkeys/{passkey.pk}/umbenennen/",
        f"/konto/passkeys/{passkey.pk}/entfernen/",
    ]:
        assert other_resident.client.get(url).status_code == 404
        assert other_resident.client.post(url, {"name": "meins"}).status_code == 404
    passkey.refresh_from_db()
    assert passkey.name == "Handy"
