"""Random and hostile values in every field and button of every form page of the demo forms:
the answer is never a server error, and nothing posted is ever shown unescaped.

Property tests with a fixed seed (``derandomize``) and a bounded number of examples, so a
failure shows the same example every run. A server error raises in the test client, so
hypothesis shrinks it to the smallest request that breaks.
"""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rathaus.applications.formdef.engine import PageForm
from rathaus.applications.models import Application
from rathaus.applications.services import cases, drafts
from rathaus.catalog.models import Service
from rathaus.core.channels import Channel

from .conftest import page_data, start_application

# Never legitimately on a page: if it comes back as it was sent, something is unescaped.
MARKER = '<img src=x onerror="h2()">'
HOSTILE = [
    "",
    " ",
    "²",
    "¹²³",
    "٣",
    "𝟗",
    "-1",
    "0",
    "1e9",
    "NaN",
    "Infinity",
    "9" * 40,
    "9" * 5000,
    "A" * 100_000,
    "\x00",
    "Er\x00ika",
    "\u202eevil",
    "\u2066x\u2069",
    "\ufeff",
    "\r\n\t",
    MARKER,
    f"Bello{MARKER}",
    "' OR 1=1 --",
    "{{ request }}",
    "%s%n",
    "../../etc/passwd",
    "🙂" * 50,
]
# Digits that are no ASCII digits get their own branch: str.isdigit() accepts "²".
hostile = st.one_of(
    st.sampled_from(HOSTILE),
    st.sampled_from(["²", "¹²³", "٣", "𝟗", "\x00"]),
    st.text(max_size=30),
    st.integers().map(str),
)


def examples(n: int) -> settings:
    """A fixed seed and ``n`` examples: the same requests every run, in a few seconds."""
    return settings(
        derandomize=True,
        database=None,
        deadline=None,
        max_examples=n,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )


DEMO_FORMS = sorted(
    p.stem
    for p in (Path(__file__).parents[2] / "src/rathaus/applications/demo/forms").glob("*.json")
)


def hostile_post(names: list[str], base: dict) -> st.SearchStrategy[dict]:
    """``base`` with some values replaced by hostile ones, some dropped, some added."""
    changed = st.dictionaries(st.sampled_from(names), hostile, max_size=6)
    dropped = st.sets(st.sampled_from(names), max_size=3)
    return st.tuples(changed, dropped).map(
        lambda cd: {k: v for k, v in {**base, **cd[0]}.items() if k not in cd[1]}
    )


def assert_safe(response) -> None:
    assert response.status_code < 500
    if response.status_code == 200 and not response.streaming:
        assert MARKER not in response.content.decode()


def page_names(application: Application, index: int) -> list[str]:
    """Every input of the page (row counts and the form version included) and the button."""
    schema = drafts.schema_of(application)
    return [*PageForm(schema, index, application.answers).fields, "_aktion"]


def actions(application: Application, index: int) -> st.SearchStrategy[str]:
    schema = drafts.schema_of(application)
    fields = schema.pages[index]["fields"]
    keys = [s["key"] for s in fields] or ["x"]
    return st.one_of(
        st.sampled_from(["weiter", "zurueck", "speichern"]),
        st.builds(lambda k: f"add:{k}", st.sampled_from(keys)),
        st.builds(lambda k, n: f"remove:{k}:{n}", st.sampled_from(keys), hostile),
        st.builds(lambda k, n: f"remove-file:{k}:{n}", st.sampled_from(keys), hostile),
        hostile,
    )


def page_case(application: Application) -> st.SearchStrategy[tuple[int, dict]]:
    """A page of the draft and a hostile post for it."""
    pages = len(application.form.schema["pages"])
    return st.integers(0, pages - 1).flatmap(
        lambda i: st.tuples(
            st.just(i),
            hostile_post(page_names(application, i), page_data(application, i)),
            actions(application, i),
        )
    )


@pytest.fixture
def demo_drafts(resident_client) -> dict[str, Application]:
    return {slug: start_application(resident_client, slug) for slug in DEMO_FORMS}


@pytest.mark.django_db
@pytest.mark.parametrize("slug", DEMO_FORMS)
def test_hostile_values_on_every_page_of_the_resident_forms(resident_client, demo_drafts, slug):
    application = demo_drafts[slug]

    @examples(40)
    @given(case=page_case(application))
    def post(case):
        index, data, action = case
        data = {**data, "_aktion": data.get("_aktion", action)}
        application.refresh_from_db()
        response = resident_client.post(
            f"/antraege/{application.public_id}/seite/{index + 1}/", data
        )
        assert_safe(response)
        if response.status_code == 200:
            application.refresh_from_db()
            assert not any("\x00" in str(v) for v in application.answers.values())

    post()


@pytest.mark.django_db
def test_hostile_values_on_review_submit_and_answer(
    resident_client, demo_drafts, submitted, caseworker
):
    draft = demo_drafts["sperrmuell-anmelden"]
    cases.ask(submitted, "Bitte senden Sie den Lageplan.", by=caseworker)
    question = submitted.questions.get()

    @examples(40)
    @given(
        review=hostile_post(["confirm", "csrfmiddlewaretoken"], {"confirm": "on"}),
        answer=hostile_post(["answer", "dateien"], {"answer": "Anbei."}),
    )
    def post(review, answer):
        assert_safe(resident_client.get(f"/antraege/{draft.public_id}/pruefen/"))
        assert_safe(resident_client.post(f"/antraege/{draft.public_id}/pruefen/", review))
        assert_safe(
            resident_client.post(
                f"/antraege/{submitted.public_id}/rueckfrage/{question.pk}/", answer
            )
        )

    post()


INBOX_FILTERS = ["status", "leistung", "frist", "meine", "q", "seite"]


@pytest.mark.django_db
def test_hostile_inbox_filters(submitted, caseworker_client):
    @examples(100)
    @given(params=st.dictionaries(st.sampled_from(INBOX_FILTERS), hostile, max_size=6))
    def get(params):
        assert_safe(caseworker_client.get("/verwaltung/vorgaenge/", params))

    get()


STAFF_FORMS = {
    "zuweisen/": {"assignee": ""},
    "status/": {"status": "in_progress", "kommentar": "Los geht's."},
    "notiz/": {"text": "Notiz"},
    "rueckfrage/": {"text": "Bitte den Lageplan."},
    "bescheid/": {
        "kind": "approval",
        "amount": "100,00",
        "reasoning": "Begründet.",
        "legal_remedy": "Klage.",
    },
    "scans/": {"dateien": ""},
}


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(STAFF_FORMS))
def test_hostile_values_in_the_staff_case_forms(submitted, caseworker_client, path):
    url = f"/verwaltung/vorgaenge/{submitted.public_id}/"
    fields = [*STAFF_FORMS[path], "status", "text"]

    @examples(30)
    @given(data=hostile_post(fields, STAFF_FORMS[path]))
    def post(data):
        assert_safe(caseworker_client.post(url + path, data))
        assert_safe(caseworker_client.get(url))  # what was stored, shown escaped

    post()


@pytest.mark.django_db
def test_hostile_values_in_the_paper_intake(caseworker_client, dach_service):
    application = drafts.start(
        dach_service,
        entered_by=caseworker_client.user,
        channel=Channel.PAPER,
    )
    base = f"/verwaltung/vorgaenge/erfassen/{application.public_id}/"

    @examples(40)
    @given(
        case=page_case(application),
        review=hostile_post(
            ["received_on", "channel"], {"received_on": "01.11.2026", "channel": "paper"}
        ),
        start=hostile_post(["leistung"], {"leistung": dach_service.slug}),
    )
    def post(case, review, start):
        index, data, action = case
        data = {**data, "_aktion": data.get("_aktion", action)}
        application.refresh_from_db()
        if application.status == Application.Status.DRAFT:
            assert_safe(caseworker_client.post(f"{base}seite/{index + 1}/", data))
            assert_safe(caseworker_client.post(f"{base}pruefen/", review))
        assert_safe(caseworker_client.post("/verwaltung/vorgaenge/erfassen/", start))

    post()


def test_hostile_values_reach_every_service_with_a_form(db):
    """The demo forms above are all the forms there are (a new one joins the test)."""
    with_forms = Service.objects.filter(form_versions__isnull=False).distinct()
    assert sorted(with_forms.values_list("slug", flat=True)) == DEMO_FORMS
