import json
import re

import pytest
from django.test import Client
from wagtail.models import Page

from rathaus.accounts.models import Role
from rathaus.sites import services
from rathaus.sites.models import ContentPage
from tests.factories import StaffFactory

GOOD_BODY = [
    {
        "type": "text",
        "value": (
            '<h2>Ausleihe</h2><p>Mit dem <a href="/leistungen/">Bibliotheksausweis</a> '
            "leihen Sie aus.</p>"
        ),
    },
]


def english_text(text: str) -> str:
    """What a translator makes of a German body text in these tests: every text between the
    tags becomes an English phrase (so the page's language rule sees English)."""
    parts = re.split(r"(<[^>]+>)", text)
    return "".join(
        part if part.startswith("<") or not part.strip() else "the text of this part"
        for part in parts
    )


def make_site(name: str, host: str, slug: str):
    return services.create_site(
        name=name, short_name=name, hostname=host, slug=slug, home_title=f"Willkommen: {name}"
    )


def add_page(parent: Page, slug: str, body: list | None = None, **fields) -> ContentPage:
    fields.setdefault("live", False)  # Wagtail's default is live: pages here go live by publishing
    page = ContentPage(
        title=fields.pop("title", slug.capitalize()),
        slug=slug,
        body=json.dumps(GOOD_BODY if body is None else body),
        **fields,
    )
    parent.add_child(instance=page)
    return page


@pytest.fixture
def library(db):
    setup = make_site("Testbücherei", "testbuecherei.localhost", "testbuecherei")
    services.publish_as_system(setup.root)
    return setup


@pytest.fixture
def museum(db):
    setup = make_site("Testmuseum", "testmuseum.localhost", "testmuseum")
    services.publish_as_system(setup.root)
    return setup


def staff_in(*groups):
    user = StaffFactory(roles=[Role.CATALOGUE_EDITOR])
    user.groups.add(*groups)
    return user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
