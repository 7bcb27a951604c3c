"""Rate limits that let a crowd behind one address in and keep guessing expensive (issue 8,
item 7): page views and ceremony starts count loosely per address; failures count tightly
per address and per account."""

import pytest
from django.test import Client

from rathaus.accounts.models import Role
from rathaus.core.secrets import new_code
from rathaus.offices.models import Office
from tests.factories import StaffFactory
from tests.passkeys import Authenticator

from .conftest import authenticate, letter_code, post_json, represent_account

OFFICE_NAT = "203.0.113.10"  # a Bürgerbüro, a school or a carrier NAT: one address


def stranger_device() -> Authenticator:
    """A passkey this installation has never seen."""
    device = Authenticator()
    device.register(
        {"publicKey": {"rp": {"id": "testserver"}, "user": {"id": "dXNlcg"}, "challenge": "eA"}},
        "http://testserver",
    )
    return device


@pytest.mark.django_db
def test_two_hundred_sign_in_page_views_from_one_address_all_work(resident):
    resident.sign_up()
    crowd = Client(REMOTE_ADDR=OFFICE_NAT)
    for _ in range(200):
        assert crowd.get("/konto/anmelden/").status_code == 200
        # passkey autofill starts a ceremony on every view of the page
        assert post_json(crowd, "/konto/passkey/anmeldung/optionen").status_code == 200
    # and a person behind the same address still signs in
    resident.client.post("/konto/abmelden/")
    behind_nat = Client(REMOTE_ADDR=OFFICE_NAT)
    behind_nat.get("/konto/anmelden/")
    assert authenticate(behind_nat, resident.device)["response"].status_code == 200


@pytest.mark.django_db
def test_sign_up_and_step_up_do_not_use_up_the_sign_in_budget(resident):
    resident.client = Client(REMOTE_ADDR=OFFICE_NAT)
    resident.sign_up()
    crowd = Client(REMOTE_ADDR=OFFICE_NAT)
    for _ in range(60):
        crowd.get("/konto/anmelden/")
        post_json(crowd, "/konto/passkey/anmeldung/optionen")
    assert resident.step_up().status_code == 200


@pytest.mark.django_db
def test_failures_from_one_address_are_limited_tightly(resident):
    resident.sign_up()
    resident.client.post("/konto/abmelden/")
    guesser = Client(REMOTE_ADDR=OFFICE_NAT)
    guesser.get("/konto/anmelden/")
    for _ in range(30):
        response = authenticate(guesser, stranger_device())["response"]
        assert response.status_code == 400
    # The address is blocked for a while, also for a right answer …
    same_address = Client(REMOTE_ADDR=OFFICE_NAT)
    same_address.get("/konto/anmelden/")
    assert authenticate(same_address, resident.device)["response"].status_code == 429
    # … but not for everybody else.
    resident.client.get("/konto/anmelden/")
    assert authenticate(resident.client, resident.device)["response"].status_code == 200


@pytest.mark.django_db
def test_step_up_failures_count_for_the_account(resident):
    resident.sign_up()
    resident.client.get("/konto/bestaetigen/?next=/konto/")
    for _ in range(10):
        tampered = authenticate(resident.client, resident.device, tamper=True)["response"]
        assert tampered.status_code == 400
    assert authenticate(resident.client, resident.device)["response"].status_code == 429


@pytest.mark.django_db
def test_wrong_recovery_codes_block_the_account_but_not_the_address(resident, other_resident):
    for person in (resident, other_resident):
        person.client = Client(REMOTE_ADDR=OFFICE_NAT)
        person.sign_up()
        person.client.post("/konto/abmelden/")
    for _ in range(5):
        resident.client.post(
            "/konto/wiederherstellen/", {"email": resident.email, "code": "AAAA-BBBB-CCCC"}
        )
    blocked = resident.client.post(
        "/konto/wiederherstellen/", {"email": resident.email, "code": "AAAA-BBBB-CCCC"}
    ).content.decode()
    assert "Zu viele Versuche" in blocked
    # Another account behind the same address is not affected by these five failures.
    other = other_resident.client.post(
        "/konto/wiederherstellen/", {"email": other_resident.email, "code": "AAAA-BBBB-CCCC"}
    ).content.decode()
    assert "stimmen nicht" in other and "Zu viele Versuche" not in other


@pytest.mark.django_db
def test_guessing_access_codes_from_one_address_is_blocked(client, resident):
    resident.sign_up()
    bilk = Office.objects.get(slug="buergerbuero-bilk")
    client.force_login(StaffFactory(roles=[Role.CASEWORKER], roles__offices=[bilk]))
    represent_account(client, resident.email)
    code = letter_code(client.post("/verwaltung/buergerservice/zugangscode-brief/"))
    guesser = Client(REMOTE_ADDR=OFFICE_NAT)
    for number in range(20):
        html = guesser.post(
            "/konto/zugangscode/", {"code": new_code(), "email": f"rate{number}@beispiel.de"}
        ).content.decode()
        assert "gilt nicht" in html
    right = guesser.post("/konto/zugangscode/", {"code": code, "email": resident.email})
    assert "Zu viele Versuche" in right.content.decode()
