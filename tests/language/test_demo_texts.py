"""The demo city's easy-language texts are written by its rules: every service and every
offer has one, and the checker finds nothing in them."""

import pytest

from rathaus.catalog.models import Service
from rathaus.language.easy_language import check
from rathaus.programs.models import Offer

pytestmark = pytest.mark.django_db


def test_every_demo_service_and_offer_has_an_easy_language_text_that_passes_the_checker():
    texts = {f"leistung {s.slug}": s.easy_language for s in Service.objects.all()}
    texts |= {f"angebot {o.slug}": o.easy_text for o in Offer.objects.all()}
    assert len(texts) > 300
    assert [name for name, text in texts.items() if not text.strip()] == []
    findings = {name: [f"{f.rule}: {f.text}" for f in check(text)] for name, text in texts.items()}
    assert {name: found for name, found in findings.items() if found} == {}
