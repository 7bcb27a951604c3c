"""Staff sign in with passkeys only, enrolled through a one-time link; roles decide the rest."""

import pytest
from django.core.management import call_command

from rathaus.accounts import policy
from rathaus.accounts.models import Role, Token, User
from rathaus.offices.models import Office
from tests.factories import StaffFactory
from tests.passkeys import Authenticator

from .conftest import authenticate, register


def enrol(client, link_path: str) -> Authenticator:
    device = Authenticator()
    assert client.get(link_path).status_code == 200
    result = register(client, device, name="Dienst-Passkey")
    assert result["response"].json() == {"redirect": "/verwaltung/"}, result["response"].content
    return device


@pytest.mark.django_db
def test_an_invited_administrator_enrols_and_reaches_the_back_office(client, capsys):
    call_command(
        "staff_invite",
        email="chefin@demo.duesseldorf.invalid",
        name="Dana Chefin",
        number="S-0001",
        roles=[Role.ADMINISTRATOR],
        base_url="http://testserver",
    )
    link = capsys.readouterr().out.strip()
    assert link.startswith("http://testserver/verwaltung/einrichten/")
    enrol(client, link.removeprefix("http://testserver"))
    assert client.get("/verwaltung/").status_code == 200
    user = User.objects.get(email="chefin@demo.duesseldorf.invalid")
    assert user.is_staff and user.is_superuser
    assert not user.has_usable_password()
    # The link worked once.
    assert client.get(link.removeprefix("http://testserver")).status_code == 404


@pytest.mark.django_db
def test_staff_sign_in_with_their_passkey(client):
    staff_user = StaffFactory(roles=[Role.CASEWORKER])
    from rathaus.accounts.services import staff

    raw = staff.new_enrolment(staff_user, by=None)
    device = enrol(client, f"/verwaltung/einrichten/{raw}/")
    client.post("/konto/abmelden/")
    client.get("/verwaltung/anmelden/?next=/verwaltung/buergerservice/")
    result = authenticate(client, device)
    assert result["response"].json() == {"redirect": "/verwaltung/buergerservice/"}


@pytest.mark.django_db
def test_there_is_no_password_login_for_the_back_office(client):
    response = client.get("/verwaltung/login/?next=/verwaltung/")
    assert response.status_code == 302
    assert response["Location"].startswith("/verwaltung/anmelden/")
    staff_user = StaffFactory()
    response = client.post(
        "/verwaltung/login/", {"username": staff_user.email, "password": "irgendwas"}
    )
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_residents_passkey_does_not_open_the_back_office(resident):
    resident.sign_up()
    resident.client.post("/konto/abmelden/")
    resident.client.get("/verwaltung/anmelden/")
    result = authenticate(resident.client, resident.device)
    assert result["response"].status_code == 400
    assert "keine Anmeldung für die Verwaltung" in result["response"].json()["error"]
    assert resident.client.get("/verwaltung/").status_code == 302


@pytest.mark.django_db
def test_enrolment_links_expire_and_a_new_one_replaces_the_old():
    from rathaus.accounts.services import staff, tokens

    staff_user = StaffFactory()
    first = staff.new_enrolment(staff_user, by=None)
    second = staff.new_enrolment(staff_user, by=None)
    assert tokens.find(first, Token.Purpose.STAFF_ENROLMENT) is None
    assert tokens.find(second, Token.Purpose.STAFF_ENROLMENT) is not None


@pytest.mark.django_db
def test_roles_and_offices_decide_in_one_place():
    bilk = Office.objects.get(slug="buergerbuero-bilk")
    benrath = Office.objects.get(slug="buergerbuero-benrath")
    caseworker = StaffFactory(roles=[Role.CASEWORKER], roles__offices=[bilk])
    editor = StaffFactory(roles=[Role.CATALOGUE_EDITOR])
    assert policy.can(caseworker, "cases.view", bilk)
    assert not policy.can(caseworker, "cases.view", benrath)
    assert not policy.can(caseworker, "catalog.edit")
    assert not policy.can(caseworker, "cases.assign", bilk)
    assert policy.can(editor, "catalog.edit")
    assert not policy.can(editor, "cases.view", bilk)
    resident = User.objects.create_user("buerger@beispiel.de")
    assert not any(policy.can(resident, action) for action in policy.ACTIONS)


@pytest.mark.django_db
def test_the_admin_creates_staff_and_shows_the_enrolment_link_once(client):
    admin = StaffFactory(roles=[Role.ADMINISTRATOR])
    client.force_login(admin)
    bilk = Office.objects.get(slug="buergerbuero-bilk")
    response = client.post(
        "/verwaltung/accounts/staffaccount/add/",
        {
            "email": "neu@demo.duesseldorf.invalid",
            "full_name": "Nora Neu",
            "staff_number": "S-0999",
            "is_active": "on",
            "roles": [Role.CASEWORKER],
            "offices": [bilk.pk],
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Einrichtungslink für Nora Neu" in html
    user = User.objects.get(email="neu@demo.duesseldorf.invalid")
    assert policy.can(user, "cases.view", bilk)
    caseworker = StaffFactory(roles=[Role.CASEWORKER])
    client.force_login(caseworker)
    assert client.get("/verwaltung/accounts/staffaccount/").status_code == 403


@pytest.mark.django_db
def test_session_cookies_are_http_only_and_same_site(resident, settings):
    resident.sign_up()
    resident.client.post("/konto/abmelden/")
    resident.client.get("/konto/anmelden/")
    from .conftest import authenticate

    response = authenticate(resident.client, resident.device)["response"]
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert settings.SESSION_COOKIE_SECURE == settings.HTTPS  # secure whenever served over TLS
