"""Template tags of the homepages: what a page pulls from the other modules when it renders."""

import json

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from rathaus.offices.models import Office

from .. import cache as page_cache
from .. import services, structured

register = template.Library()


@register.simple_tag(takes_context=True)
def site_events(context: template.Context, count: int) -> list:
    """The next offers of the site's provider in the programme portal (never a copy)."""
    request = context.get("request")
    return services.upcoming_events(
        context.get("site_profile"), getattr(request, "user", None), int(count)
    )


@register.simple_tag
def office_by_slug(slug: str) -> Office | None:
    if not slug:
        return None
    office = Office.objects.filter(slug=slug).first()
    if office is not None:
        page_cache.depends_on(f"office:{office.pk}")
    return office


@register.simple_tag
def shows(kind: str, thing) -> str:
    """``{% shows "service" value %}``: the page cache purges this page when the thing
    changes (outputs nothing)."""
    if thing is not None and thing.pk is not None:
        page_cache.depends_on(f"{kind}:{thing.pk}")
    return ""


@register.filter
def file_label(document) -> str:
    """ "PDF, 240 KB": what a download is before it is clicked."""
    extension = document.file_extension.upper() or _("Datei")
    try:
        size = document.get_file_size() or 0
    except OSError:
        return extension
    if size >= 1024 * 1024:
        amount = f"{number_format(size / (1024 * 1024), 1)} MB"
    else:
        amount = f"{max(1, round(size / 1024))} KB"
    return f"{extension}, {amount}"


@register.simple_tag(takes_context=True)
def structured_data(context: template.Context, page) -> SafeString:
    """schema.org JSON-LD of the page (not executed: the CSP does not apply to data blocks)."""
    profile = context.get("site_profile")
    if profile is not None and profile.office_id is not None:
        page_cache.depends_on(f"office:{profile.office_id}")
    data = structured.for_page(page, profile, events=context.get("events", ()))
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    return format_html('<script type="application/ld+json">{}</script>', SafeString(text))
