"""The council's public pages: the index with the next meetings, a committee with its members,
the meetings and papers with their filters (bad input named, the list still answers), a
meeting with its agenda, a paper with its consultations, the calendar feed, and the demo
council that ``make run`` shows. The test database holds the demo city."""

from datetime import datetime, timedelta

import icalendar
import pytest
from django.utils import timezone

from rathaus.core import pdf
from rathaus.council import links, services
from rathaus.council.models import File, Meeting, Membership, Organization, Paper

from .oparl_schema import validator

pytestmark = pytest.mark.django_db
COMMITTEE = "Ausschuss für Digitalisierung und Netzpolitik"


@pytest.fixture
def committee() -> Organization:
    return Organization.objects.get(name=COMMITTEE)


def test_the_demo_council_has_a_year_of_the_committee_s_work(committee):
    meetings = list(services.meetings(committee))
    now = timezone.now()
    held = [m for m in meetings if m.start < now]
    assert len(held) >= 6 and any(m.start > now for m in meetings)
    assert all(m.meeting_state == Meeting.State.HELD for m in held)
    assert held[-1].results_protocol and held[0].invitation
    strategy = Paper.objects.get(name__startswith="Entwurf der Strategie „Digitales Düsseldorf")
    assert strategy.consultations.filter(agenda_item__result__contains="beschlossen").exists()
    assert Paper.objects.filter(paper_type="Antrag", originator_organizations__isnull=False)
    members = services.current_members(committee)
    assert members[0].role == "Vorsitz"
    assert members.filter(voting_right=False).count() == 3  # sachkundige Bürger*innen
    # Nobody meets between Christmas and Epiphany; no paper is dated after today.
    assert not [m for m in Meeting.objects.all() if (m.start.month, m.start.day) >= (12, 20)]
    assert not Paper.objects.filter(date__gt=timezone.localdate()).exists()


def test_the_demo_s_documents_are_pdf_a_and_say_so(client):
    document = File.objects.filter(deleted=False).first()
    data = document.content.read()
    assert pdf.archival_level(data) == document.archival == "3B"
    assert not File.objects.exclude(archival="3B").exists()
    paper = (
        Paper.objects.filter(main_file=document).first()
        or Paper.objects.filter(main_file__isnull=False).first()
    )
    page = client.get(f"/ratsinfo/vorlagen/{paper.pk}/").content.decode()
    assert ">PDF/A</abbr>" in page
    assert pdf.archival_level(b"%PDF-1.4 kaputt") == ""
    assert pdf.archival_level(pdf.render("council/pdf/document.html", {"title": "x"})) == ""


def test_the_index_shows_the_next_meetings_and_the_boards(client, committee):
    page = client.get("/ratsinfo/").content.decode()
    upcoming = services.upcoming().first()
    assert upcoming.name in page
    assert COMMITTEE in page and "Fraktion" not in page.split("Neue Drucksachen")[0]
    assert 'href="/oparl/v1/"' in page and 'href="/ratsinfo/sitzungen.ics"' in page


def test_upcoming_starts_at_midnight_in_the_city_not_in_utc(committee):
    """At 00:45 in Düsseldorf it is still yesterday in UTC: a meeting at 00:15 today is
    upcoming, one at 23:50 yesterday is not."""
    now = timezone.make_aware(datetime(2027, 1, 12, 0, 45))
    body = committee.body
    earlier = Meeting.objects.create(
        body=body, name="Gestern spät", start=now - timedelta(minutes=55)
    )
    today = Meeting.objects.create(body=body, name="Heute früh", start=now - timedelta(minutes=30))
    for meeting in (earlier, today):
        meeting.organizations.add(committee)
    found = set(services.upcoming(now, committee).filter(start__lt=now))
    assert found == {today}


def test_a_committee_page_lists_members_with_their_faction_and_its_meetings(client, committee):
    page = client.get(f"/ratsinfo/gremien/{committee.pk}/").content.decode()
    chair = services.current_members(committee).first()
    assert chair.person.name in page and chair.on_behalf_of.short_name in page
    assert "Sachkundige Person" in page
    assert services.upcoming(organization=committee).first().name in page
    ended = Membership.objects.filter(organization=committee).first()
    ended.end_date = timezone.localdate() - timedelta(days=1)
    ended.save()
    again = client.get(f"/ratsinfo/gremien/{committee.pk}/").content.decode()
    assert ended.person.name not in again


def test_a_meeting_shows_its_agenda_with_papers_results_and_documents(client, committee):
    meeting = [m for m in services.meetings(committee) if m.start < timezone.now()][-1]
    page = client.get(f"/ratsinfo/sitzungen/{meeting.pk}/").content.decode()
    for item in services.agenda(meeting):
        assert item.name in page
        if item.public and hasattr(item, "consultation"):
            assert f'href="/ratsinfo/vorlagen/{item.consultation.paper_id}/"' in page
            assert item.result in page
    assert f"/ratsinfo/dateien/{meeting.results_protocol_id}/" in page
    assert "(nichtöffentlich)" in page


def test_a_paper_shows_where_it_is_discussed_and_links_to_participation(client):
    paper = (
        Paper.objects.filter(consultations__organizations__name=COMMITTEE)
        .filter(consultations__organizations__name="Rat der Landeshauptstadt Düsseldorf")
        .filter(participation_processes=None)  # no process links to it
        .first()
    )
    page = client.get(f"/ratsinfo/vorlagen/{paper.pk}/").content.decode()
    assert "Beratungsfolge" in page and "Haupt- und Finanzausschuss" in page
    assert ">Beteiligung</h2>" not in page

    def provider(p):
        return [links.Link("Strategie 2030", "/beteiligung/strategie/", "Daraus entstanden")]

    links.register(provider)
    try:
        page = client.get(f"/ratsinfo/vorlagen/{paper.pk}/").content.decode()
    finally:
        links._providers.remove(provider)
    assert 'href="/beteiligung/strategie/"' in page and "Daraus entstanden" in page


def test_meetings_can_be_filtered_and_nonsense_is_named_not_fatal(client, committee):
    mine = client.get(f"/ratsinfo/sitzungen/?gremium={committee.pk}&jahr=2026")
    expected = services.meetings(committee).filter(start__year=2026).count()
    assert f"{expected} Sitzungen gefunden" in mine.content.decode()
    for query, message in (
        ("gremium=999999", "Dieses Gremium gibt es nicht."),
        ("jahr=zwanzig", "Bitte geben Sie ein Jahr wie 2026 ein."),
        ("jahr=1234", "Bitte geben Sie ein Jahr ab 1990 ein."),
    ):
        response = client.get(f"/ratsinfo/sitzungen/?{query}")
        page = response.content.decode()
        assert response.status_code == 200 and message in page
        assert f"{Meeting.objects.filter(deleted=False).count()} Sitzungen gefunden" in page


def test_papers_are_found_by_words_and_reference_and_hostile_input_is_harmless(client):
    paper = Paper.objects.get(name__startswith="Open-Data-Richtlinie")
    by_word = client.get("/ratsinfo/vorlagen/?q=open-data+richtlinie").content.decode()
    assert "1 Drucksache gefunden" in by_word and paper.name in by_word
    by_reference = client.get(f"/ratsinfo/vorlagen/?q={paper.reference}").content.decode()
    assert paper.name in by_reference
    kind = client.get("/ratsinfo/vorlagen/?art=Anfrage").content.decode()
    assert f"{Paper.objects.filter(paper_type='Anfrage').count()} Drucksache" in kind
    hostile = client.get("/ratsinfo/vorlagen/", {"q": "<script>alert(1)</script>' OR 1=1 --"})
    assert hostile.status_code == 200
    assert "<script>alert(1)" not in hostile.content.decode()
    assert "0 Drucksachen gefunden" in hostile.content.decode()
    for query, message in (
        ({"q": "x" * 101}, "höchstens 100 Zeichen"),
        ({"q": "Rat\x00haus"}, ""),
        ({"art": "Geheimpapier"}, "Diese Art von Drucksache gibt es nicht."),
    ):
        response = client.get("/ratsinfo/vorlagen/", query)
        assert response.status_code == 200 and message in response.content.decode()


def test_the_calendar_feed_has_every_meeting_once_with_a_stable_uid(client, committee):
    feed = client.get(f"/ratsinfo/sitzungen.ics?gremium={committee.pk}")
    assert feed["Content-Type"] == "text/calendar; charset=utf-8"
    events = icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    meetings = list(services.meetings(committee))
    assert len(events) == len(meetings)
    assert {str(e["summary"]) for e in events} == {m.name for m in meetings}
    again = icalendar.Calendar.from_ical(
        client.get(feed.request["PATH_INFO"] + f"?gremium={committee.pk}").content
    )
    assert [str(e["uid"]) for e in again.walk("VEVENT")] == [str(e["uid"]) for e in events]
    cancelled = meetings[-1]
    cancelled.cancelled = True
    cancelled.save()
    status = {
        str(e["summary"]): str(e["status"])
        for e in icalendar.Calendar.from_ical(
            client.get(f"/ratsinfo/sitzungen.ics?gremium={committee.pk}").content
        ).walk("VEVENT")
    }
    assert status[cancelled.name] == "CANCELLED"
    everything = icalendar.Calendar.from_ical(client.get("/ratsinfo/sitzungen.ics").content)
    assert len(everything.walk("VEVENT")) == Meeting.objects.filter(deleted=False).count()


def test_withdrawn_meetings_and_boards_are_gone_from_the_pages(client, committee):
    meeting = services.upcoming(organization=committee).first()
    services.withdraw(meeting)
    assert client.get(f"/ratsinfo/sitzungen/{meeting.pk}/").status_code == 404
    assert meeting.name not in client.get("/ratsinfo/").content.decode()
    services.withdraw(committee)
    assert client.get(f"/ratsinfo/gremien/{committee.pk}/").status_code == 404


def test_the_schema_check_refuses_what_the_specification_forbids():
    """Control for the API walk: the converted schemas do catch wrong objects."""
    meeting = {"id": "http://x/oparl/v1/meeting/1/", "type": "https://schema.oparl.org/1.1/Meeting"}
    assert not list(validator("Meeting").iter_errors(meeting))
    wrong = [
        {**meeting, "start": "2026-12-17 17:00"},  # not the spec's date-time
        {**meeting, "start": "2026-12-17T17:00:00"},  # without its offset
        {**meeting, "id": "meeting/1"},  # not a URL
        {**meeting, "location": {"description": "Rathaus"}},  # internal object without id
        {
            **meeting,
            "agendaItem": [{"id": "http://x/1", "type": "https://schema.oparl.org/1.1/AgendaItem"}],
        },  # order missing
        {**meeting, "cancelled": "nein"},
    ]
    for obj in wrong:
        assert list(validator("Meeting").iter_errors(obj)), obj
