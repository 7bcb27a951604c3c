"""The paper form (Antrag zum Ausdrucken) as PDF, so that applying stays possible offline.

A blank form is the same for everyone who downloads a form version, so WeasyPrint renders
it once and the PDF is then served from the cache. The key names the form version and the
digest of the HTML and stylesheet the PDF is made from: a new version, a renamed service,
a moved office, another language or a changed layout get a new PDF, and nothing stale is
served. A form filled from a draft is rendered each time.
"""

import hashlib
from functools import cache as once
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.template.loader import render_to_string

from rathaus.catalog.models import Service
from rathaus.core import pdf

from ..formdef.engine import printable_pages
from ..models import FormDefinition

__all__ = ["blank_form_key", "paper_form_pdf"]

TEMPLATE = "applications/pdf/printable.html"
# Old versions drop out of the cache on their own.
CACHE_SECONDS = 30 * 24 * 3600


def paper_form_pdf(
    service: Service, form: FormDefinition, answers: dict[str, Any] | None = None
) -> bytes:
    """The form ``form`` of ``service`` as PDF; pre-filled with a draft's ``answers``."""
    context = _context(service, form, answers or {})
    if answers:
        return pdf.render(TEMPLATE, context)
    key = blank_form_key(service, form)
    content = cache.get(key)
    if content is None:
        content = pdf.render(TEMPLATE, context)
        cache.set(key, content, CACHE_SECONDS)
    return content


def blank_form_key(service: Service, form: FormDefinition) -> str:
    """The cache key of the blank form: the version and a digest of the HTML and stylesheet
    the PDF is made from (rendering the HTML takes milliseconds, the PDF a second)."""
    html = render_to_string(TEMPLATE, _context(service, form, {}))
    digest = hashlib.sha256(html.encode() + _stylesheet()).hexdigest()
    return f"applications:paper-form:{form.pk}:{form.version}:{digest}"


def _context(service: Service, form: FormDefinition, answers: dict[str, Any]) -> dict[str, Any]:
    return {
        "service": service,
        "intro": form.schema.get("intro", ""),
        "pages": printable_pages(form.schema, answers),
        "rathaus": settings.RATHAUS,
    }


@once
def _stylesheet() -> bytes:
    return Path(finders.find("rathaus/print.css")).read_bytes()
