"""The monitor's pages: public figures and account, the staff pages with their roles, and
what the forms answer to bad input."""

import pytest
from django.test import Client

from rathaus.accounts.models import Role
from rathaus.core.models import AuditEntry
from rathaus.monitor.models import PaperAssumption, Target
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def steward(client) -> Client:
    client.force_login(StaffFactory(roles=[Role.DATA_STEWARD]))
    return client


def test_the_monitor_shows_every_figure_with_its_table_target_and_data_set(client):
    Target.objects.update_or_create(
        figure="termine", defaults={"value": 70, "year": 2030, "basis": "Beschluss vom 12.03.2026"}
    )
    page = client.get("/digitalmonitor/").content.decode()
    for title in (
        "Leistungen vollständig online",
        "Anträge online gestellt",
        "Bescheide digital zugestellt",
        "Termine online gebucht",
        "Angebote online gebucht",
        "Kita-Anmeldungen online",
        "Papier gespart",
    ):
        assert title in page
    assert "70,0 % bis 2030 (Beschluss vom 12.03.2026)" in page
    assert 'id="termine-table"' in page and "<details" in page  # the table without JavaScript
    assert 'data-chart="termine-table"' in page  # the chart where JavaScript runs
    assert "/opendaten/digitalmonitor/" in page and "/opendaten/termine-wartezeiten/" in page


def test_the_green_account_shows_its_assumptions_and_the_measured_energy(client):
    PaperAssumption.objects.create(
        tally="buchungen", service="test-kurs", sheets=3, letters=1, basis="Gezählt im Kursbüro"
    )
    page = client.get("/digitalmonitor/green-it/").content.decode()
    assert "Gezählt im Kursbüro" in page and "<code>test-kurs</code>" in page
    assert "Watt je voll ausgelastetem Prozessorkern" in page
    assert "/opendaten/green-it-konto/" in page


@pytest.mark.parametrize(
    "who", ["anonymous", "resident", "caseworker"], ids=["anonymous", "resident", "caseworker"]
)
def test_only_data_stewards_and_administrators_set_targets(client, who):
    if who == "resident":
        client.force_login(UserFactory())
    elif who == "caseworker":
        client.force_login(StaffFactory(roles=[Role.CASEWORKER]))
    for url in ("/digitalmonitor/verwalten/", "/digitalmonitor/verwalten/ziele/termine/"):
        answer = client.get(url)
        assert answer.status_code in (302, 403)
    client.post("/digitalmonitor/verwalten/ziele/termine/", {"value": "5", "year": "2030"})
    assert not Target.objects.filter(figure="termine", value=5).exists()


def test_a_steward_sets_a_target_and_it_is_in_the_audit_trail(steward):
    answer = steward.post(
        "/digitalmonitor/verwalten/ziele/buchungen/",
        {"value": "87,5", "year": "2030", "basis": "Ausschuss, 12.03.2026"},
    )
    assert answer.status_code == 302
    target = Target.objects.get(figure="buchungen")
    assert (float(target.value), target.year) == (87.5, 2030)
    assert AuditEntry.objects.filter(action="rathaus.monitor.target.set").exists()
    assert "87,5 % bis 2030" in steward.get("/digitalmonitor/").content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"value": "120", "year": "2030"}, "höchstens 100 Prozent"),
        ({"value": "viel", "year": "2030"}, "Zahl"),
        ({"value": "", "year": "2030"}, "Bitte geben Sie das Ziel an."),
        ({"value": "50", "year": "1999"}, "2024"),
        ({"value": "50", "year": "2030", "basis": "Beschluss\x00"}, "Steuerzeichen"),
    ],
)
def test_bad_targets_are_answered_in_german_and_keep_what_was_entered(steward, data, message):
    answer = steward.post("/digitalmonitor/verwalten/ziele/termine/", data)
    page = answer.content.decode()
    assert answer.status_code == 200
    assert message in page
    assert f'value="{data["year"]}"' in page
    assert not Target.objects.filter(figure="termine", value=120).exists()


def test_an_unknown_figure_has_no_target_page(steward):
    assert steward.get("/digitalmonitor/verwalten/ziele/gibt-es-nicht/").status_code == 404


def test_a_steward_adds_and_changes_a_paper_assumption(steward):
    data = {"tally": "antraege", "service": "wohngeld", "sheets": "12", "letters": "3"}
    answer = steward.post("/digitalmonitor/verwalten/annahmen/neu/", {**data, "basis": "Akte"})
    assert answer.status_code == 302
    assumption = PaperAssumption.objects.get(tally="antraege", service="wohngeld")
    assert (assumption.sheets, assumption.letters) == (12, 3)

    twice = steward.post("/digitalmonitor/verwalten/annahmen/neu/", {**data, "basis": "Akte"})
    assert "gibt es schon eine Annahme" in twice.content.decode()

    steward.post(
        f"/digitalmonitor/verwalten/annahmen/{assumption.pk}/",
        {**data, "sheets": "10", "basis": "Neu gezählt"},
    )
    assumption.refresh_from_db()
    assert (assumption.sheets, assumption.basis) == (10, "Neu gezählt")
    assert AuditEntry.objects.filter(action="rathaus.monitor.assumption.saved").count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"tally": "termine"}, "keine gültige Auswahl"),  # appointments save no paper
        ({"service": "Wohn Geld!"}, "Kurznamen der Leistung"),
        ({"sheets": "-1"}, "größer oder gleich 0"),
        ({"sheets": "9999"}, "kleiner oder gleich 500"),
        ({"basis": ""}, "Bitte nennen Sie die Grundlage"),
        ({"basis": "<script>alert(1)</script>"}, None),
    ],
)
def test_bad_assumptions_are_answered_in_german(steward, data, message):
    fields = {"tally": "antraege", "service": "wohngeld", "sheets": "2", "letters": "1"}
    answer = steward.post(
        "/digitalmonitor/verwalten/annahmen/neu/", {**fields, "basis": "Akte", **data}
    )
    if message is None:  # a hostile text is stored as text and shown escaped
        assert answer.status_code == 302
        page = steward.get("/digitalmonitor/green-it/").content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
        return
    assert answer.status_code == 200
    assert message in answer.content.decode()
    assert not PaperAssumption.objects.filter(service="wohngeld").exists()
