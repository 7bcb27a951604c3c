"""Surveys with the applications form engine's field types: once per account while the phase
runs, anonymous answers, counted results, bad input answered in German, the office's table."""

from datetime import timedelta

import pytest
from django.urls import reverse

from rathaus.core.models import AuditEntry
from rathaus.participation.demo import SURVEY
from rathaus.participation.models import Phase, Survey, SurveyAnswer, SurveyParticipation
from rathaus.participation.services import NotAllowed, surveys
from tests.applications.conftest import verified_client

pytestmark = pytest.mark.django_db

GOOD = {"online": "oft", "zuerst": ["wlan", "daten"], "hilfe": "nein", "anregung": "Mehr WLAN"}


@pytest.fixture
def survey(process):
    return Survey.objects.create(
        process=process,
        phase=process.phases.get(kind=Phase.Kind.DISCUSSION),
        title="Kurzumfrage",
        schema=SURVEY,
    )


def url(survey: Survey) -> str:
    return reverse("participation:survey", args=[survey.process.slug, survey.pk])


def test_answers_are_stored_once_and_without_the_account(client, survey, resident):
    client.force_login(resident)
    assert client.post(url(survey), GOOD).status_code == 302
    (stored,) = SurveyAnswer.objects.filter(survey=survey)
    assert stored.values == {
        "online": "oft",
        "zuerst": ["wlan", "daten"],
        "hilfe": "nein",
        "anregung": "Mehr WLAN",
    }
    assert {f.name for f in SurveyAnswer._meta.get_fields()} == {"id", "survey", "values"}
    assert SurveyParticipation.objects.get(survey=survey).user == resident
    again = client.post(url(survey), GOOD)
    assert again.status_code == 409 and "schon teilgenommen" in again.content.decode()
    assert SurveyAnswer.objects.filter(survey=survey).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**GOOD, "online": ""}, "Bitte beantworten Sie: Wie oft"),
        ({**GOOD, "online": "immer"}, "eine der Möglichkeiten"),
        ({**GOOD, "zuerst": ["<script>"]}, "nur angebotene Möglichkeiten"),
        ({**GOOD, "anregung": "x" * 1001}, "höchstens 1000 Zeichen"),
    ],
)
def test_nonsense_is_answered_in_german_and_kept(client, survey, resident, data, message):
    client.force_login(resident)
    page = client.post(url(survey), data)
    text = page.content.decode()
    assert page.status_code == 400
    assert message in text
    assert "<script>" not in text
    if data["anregung"] != GOOD["anregung"]:
        assert "x" * 1001 in text  # what was typed comes back to be shortened
    else:
        assert "Mehr WLAN" in text
    assert not SurveyAnswer.objects.filter(survey=survey).exists()


def test_only_while_the_phase_runs(client, survey, resident, office):
    from .conftest import make_process

    later = make_process(office, slug="spaeter", spans=[("discussion", 3, 9)])
    survey.process, survey.phase = later, later.phases.get()
    survey.save()
    page = surveys.form(survey, GOOD)
    assert page.is_valid()
    with pytest.raises(NotAllowed, match="beginnt am"):
        surveys.answer(survey, page, user=resident)
    before = client.get(url(survey)).content.decode()
    assert "Die Umfrage beginnt am" in before and 'id="ergebnisse"' not in before


def test_results_are_public_after_the_phase_and_for_the_office_before(
    client, survey, resident, neighbour, moderator
):
    for user, online in ((resident, "oft"), (neighbour, "nie")):
        surveys.answer(survey, surveys.form(survey, {**GOOD, "online": online}), user=user)
    assert "Ergebnisse" not in client.get(url(survey)).content.decode()
    client.force_login(moderator)
    staff_view = client.get(url(survey)).content.decode()
    assert "Zwischenstand" in staff_view and "2 Personen haben teilgenommen" in staff_view
    result = surveys.results(survey)
    counts = {o["label"]: o["count"] for o in result["questions"][0]["options"]}
    assert counts == {"nie": 1, "selten": 0, "manchmal": 0, "oft": 1}
    assert result["questions"][3]["options"] == [] and result["questions"][3]["answered"] == 2
    survey.phase.ends_at = (
        survey.phase.starts_at + (survey.phase.ends_at - survey.phase.starts_at) / 100
    )
    survey.phase.save()
    client.logout()
    public = client.get(url(survey)).content.decode()
    assert "Die Umfrage ist beendet" in public and "oft: 1 (50,0 %)" in public
    assert "Mehr WLAN" not in public  # free texts only for the office


def test_open_data_counts_the_choices_of_an_ended_survey_without_free_texts(
    survey, resident, neighbour
):
    from rathaus.opendata.pipelines import get

    for user, online in ((resident, "oft"), (neighbour, "nie")):
        surveys.answer(survey, surveys.form(survey, {**GOOD, "online": online}), user=user)

    def mine() -> list[dict]:
        return [
            r for r in get("umfrage-ergebnisse").rows() if r["verfahren"] == survey.process.slug
        ]

    assert mine() == []  # while the phase runs, only the office sees the state
    survey.phase.ends_at = survey.phase.starts_at + timedelta(minutes=1)
    survey.phase.save()
    rows = mine()
    first = survey.schema["pages"][0]["fields"][0]["label"]
    counts = {r["antwort"]: r["anzahl"] for r in rows if r["frage"] == first}
    assert counts == {"nie": 1, "selten": 0, "manchmal": 0, "oft": 1}
    assert {(r["teilnehmende"], r["frage_beantwortet"]) for r in rows} == {(2, 2)}
    assert not any("Mehr WLAN" in str(r) for r in rows)
    survey.process.published = False
    survey.process.save()
    assert mine() == []


PERSON = {"person-given_name": "Jürgen", "person-family_name": "Müller", "person-channel": "paper"}


def test_staff_type_in_a_paper_questionnaire_once_per_person(client, survey, moderator):
    url = reverse("participation:survey_on_paper", args=[survey.process.slug, survey.pk])
    client.force_login(moderator)
    assert "Fragebogen auf Papier erfassen" in client.get(url).content.decode()
    wrong = client.post(url, {**GOOD, "online": "<script>", **PERSON, "person-birth_date": "x"})
    text = wrong.content.decode()
    assert wrong.status_code == 400 and "14.03.1968" in text and 'value="Jürgen"' in text
    assert "Mehr WLAN" in text and not SurveyAnswer.objects.filter(survey=survey).exists()
    done = client.post(url, {**GOOD, **PERSON, "person-birth_date": "14.03.1950"})
    assert done.status_code == 302
    same = {**PERSON, "person-given_name": " JURGEN ", "person-birth_date": "14.03.1950"}
    again = client.post(url, {**GOOD, "online": "nie", **same})
    assert again.status_code == 409 and "schon ein Fragebogen erfasst" in again.content.decode()
    participation = SurveyParticipation.objects.get(survey=survey)
    assert participation.user is None and participation.entered_by == moderator
    assert participation.channel == "paper" and "ller" not in participation.identity
    assert surveys.results(survey)["questions"][0]["options"][3]["count"] == 1  # "oft"
    assert "Papier oder Post: 1" in client.get(url).content.decode()
    assert AuditEntry.objects.filter(action="rathaus.participation.survey.entered").exists()


def test_paper_questionnaires_only_by_the_owning_office_and_where_allowed(
    client, survey, resident, moderator, other_office_moderator
):
    url = reverse("participation:survey_on_paper", args=[survey.process.slug, survey.pk])
    posted = {**GOOD, **PERSON, "person-birth_date": "14.03.1950"}
    assert client.post(url, posted).status_code == 302  # anonymous: to the sign-in
    client.force_login(resident)
    assert client.post(url, posted).url.startswith(reverse("accounts:staff_signin"))
    client.force_login(other_office_moderator)
    assert client.post(url, posted).status_code == 403
    survey.process.assisted = False
    survey.process.save()
    client.force_login(moderator)
    refused = client.post(url, posted)
    assert refused.status_code == 409 and "keine Fragebögen erfassen" in refused.content.decode()
    assert not SurveyParticipation.objects.filter(survey=survey).exists()


def test_the_answers_table_is_for_the_owning_office(
    client, survey, resident, moderator, other_office_moderator
):
    surveys.answer(survey, surveys.form(survey, GOOD), user=resident)
    table = reverse("participation:survey_answers", args=[survey.process.slug, survey.pk])
    client.force_login(other_office_moderator)
    assert client.get(table).status_code == 403
    client.force_login(moderator)
    download = client.get(table)
    text = download.content.decode("utf-8-sig")
    assert "Mehr WLAN" in text and "Freies WLAN, Offene Daten" in text
    assert resident.email not in text


def test_a_survey_asks_for_opinions_not_for_bank_details_or_files():
    schema = {
        "pages": [
            {
                "title": "Seite",
                "fields": [
                    {"key": "konto", "type": "iban", "label": "IBAN"},
                    {"key": "datei", "type": "file", "label": "Datei"},
                ],
            }
        ]
    }
    errors = surveys.check_schema(schema)
    assert any("„iban“" in error for error in errors)
    assert any("„file“" in error for error in errors)
    assert surveys.check_schema(SURVEY) == []
    assert surveys.check_schema({"pages": "x"})


def test_the_office_sets_up_a_survey_with_checked_questions(client, process, moderator):
    import json

    client.force_login(moderator)
    phase = process.phases.get(kind=Phase.Kind.DISCUSSION)
    data = {"process": process.pk, "phase": phase.pk, "title": "Neu", "introduction": ""}
    bad = {"pages": [{"title": "S", "fields": [{"key": "k", "type": "iban", "label": "IBAN"}]}]}
    page = client.post("/verwaltung/participation/survey/add/", {**data, "schema": json.dumps(bad)})
    assert page.status_code == 200 and "in Umfragen erlaubt" in page.content.decode()
    done = client.post(
        "/verwaltung/participation/survey/add/", {**data, "schema": json.dumps(SURVEY)}
    )
    assert done.status_code == 302 and Survey.objects.filter(title="Neu").exists()


def test_the_demo_survey_has_answers_and_a_page(client):
    survey = Survey.objects.get(process__slug="digitales-duesseldorf-2030")
    assert survey.answers.count() >= 20
    page = client.get(url(survey))
    assert page.status_code == 200 and "Anmelden und teilnehmen" in page.content.decode()
    process_page = client.get(reverse("participation:process", args=[survey.process.slug]))
    assert url(survey) in process_page.content.decode()


def test_signed_in_residents_see_the_questions(survey, resident):
    page = verified_client(resident).get(url(survey)).content.decode()
    assert "Wie oft erledigen Sie Dinge" in page and "Antworten absenden" in page


def test_the_export_names_the_survey_not_the_answers(survey, resident):
    from rathaus.accounts.services import privacy

    surveys.answer(survey, surveys.form(survey, GOOD), user=resident)
    (part,) = [s for s in privacy.export_data(resident)["sections"] if s["key"] == "participation"]
    assert part["data"]["surveys"] == [survey.title]
    assert "Mehr WLAN" not in str(part)
