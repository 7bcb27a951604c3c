import re

import pytest

from rathaus.catalog.models import LifeSituation, Service
from rathaus.offices.models import Office


def text(response) -> str:
    """The page with runs of ordinary white space folded (the no-break space stays)."""
    return re.sub(r"[ \t\r\n]+", " ", response.content.decode())


@pytest.mark.django_db
def test_start_page_shows_most_used_services_and_life_situations(client):
    html = text(client.get("/"))
    most_used = Service.objects.order_by("-popularity")[0]
    assert most_used.title in html
    for situation in LifeSituation.objects.all():
        assert situation.title in html
    assert 'role="search"' in html


@pytest.mark.django_db
def test_a_to_z_groups_umlauts_with_their_letter(client):
    html = text(client.get("/leistungen/"))
    assert 'id="buchstabe-A"' in html
    assert 'id="buchstabe-Ä"' not in html
    assert html.index("Personalausweis beantragen") > html.index('id="buchstabe-P"')


@pytest.mark.django_db
def test_service_page_shows_what_a_resident_needs(client):
    service = Service.objects.get(slug="personalausweis-beantragen")
    html = text(client.get(service.get_absolute_url()))
    assert f'<h1 class="kern-heading-large">{service.title}</h1>' in html
    assert service.office.name in html
    assert "Demodaten" in html
    if service.fee_amount:
        euros, cents = f"{service.fee_amount:.2f}".split(".")
        assert f"{euros},{cents}\u00a0€" in html
    date = service.last_reviewed
    assert f"Zuletzt geprüft am {date:%d.%m.%Y}" in html
    for document in service.document_list():
        assert document.replace('"', "&quot;") in html or document in html


@pytest.mark.django_db
def test_unknown_service_is_404(client):
    assert client.get("/leistungen/gibt-es-nicht/").status_code == 404


@pytest.mark.django_db
def test_search_page_lists_results(client):
    html = text(client.get("/suche/", {"q": "Hundesteuer"}))
    assert "Ergebnisse für „Hundesteuer“" in html or "Ergebnis für „Hundesteuer“" in html
    assert "/leistungen/hundesteuer-anmelden/" in html


@pytest.mark.django_db
def test_search_without_hits_points_to_a_to_z(client):
    html = text(client.get("/suche/", {"q": "Xylophonquantenschaum"}))
    assert "0 Ergebnisse" in html
    assert 'href="/leistungen/"' in html


@pytest.mark.django_db
def test_overlong_search_keeps_the_input_and_explains(client):
    query = "Personalausweis " * 20
    html = text(client.get("/suche/", {"q": query}))
    assert "höchstens 200 Zeichen" in html
    assert "Personalausweis Personalausweis" in html


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["abc", "-3", "99999", "1e9"])
def test_nonsense_page_numbers_are_harmless(client, page):
    assert client.get("/suche/", {"q": "Antrag", "seite": page}).status_code == 200


@pytest.mark.django_db
def test_life_situation_lists_its_services_in_order(client):
    situation = LifeSituation.objects.get(slug="umzug")
    html = text(client.get(situation.get_absolute_url()))
    titles = [s.title for s in situation.services.order_by("lifesituationservice__position")]
    positions = [html.index(t) for t in titles]
    assert positions == sorted(positions)


@pytest.mark.django_db
def test_office_page_shows_address_hours_and_services(client):
    office = Office.objects.filter(kind=Office.Kind.CITIZENS_OFFICE).first()
    html = text(client.get(f"/dienststellen/{office.slug}/"))
    assert office.street in html and office.postcode in html
    assert "Öffnungszeiten" in html
    assert "Adresse und Kontaktdaten sind erfunden" in html


@pytest.mark.django_db
def test_offices_are_grouped_by_kind(client):
    html = text(client.get("/dienststellen/"))
    assert "Bürgerbüro" in html and "Amt" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/impressum/", "/datenschutz/", "/kontakt/", "/barrierefreiheit/"]
)
def test_footer_pages_exist_and_are_linked_everywhere(client, path):
    assert client.get(path).status_code == 200
    assert f'href="{path}"' in client.get("/").content.decode()
