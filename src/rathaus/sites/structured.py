"""schema.org descriptions of pages (JSON-LD), for search engines and assistants."""

from collections.abc import Iterable

from django.urls import reverse

from .models import EventIndexPage, InstitutionPage, NewsPage, SitePage, SiteProfile


def organisation(profile: SiteProfile | None) -> dict:
    if profile is None:
        return {"@type": "GovernmentOrganization", "name": "Landeshauptstadt Düsseldorf"}
    data = {
        "@type": "GovernmentOrganization",
        "name": profile.site.site_name,
        "url": profile.site.root_url,
    }
    if office := profile.office:
        data["address"] = {
            "@type": "PostalAddress",
            "streetAddress": office.street,
            "postalCode": office.postcode,
            "addressLocality": office.city,
            "addressCountry": "DE",
        }
        if office.phone:
            data["telephone"] = office.phone
        if office.email:
            data["email"] = office.email
    return data


def for_page(page: SitePage, profile: SiteProfile | None, events: Iterable = ()) -> dict:
    """``events``: the offers an event list shows (its context has them already)."""
    data: dict = {"@context": "https://schema.org"}
    if isinstance(page, NewsPage):
        data |= {
            "@type": "NewsArticle",
            "headline": page.title,
            "datePublished": page.date.isoformat(),
            "publisher": organisation(profile),
        }
    elif isinstance(page, InstitutionPage) or (profile and page.pk == profile.site.root_page_id):
        data |= organisation(profile)
    else:
        data |= {"@type": "WebPage", "name": page.title, "publisher": organisation(profile)}
    if page.intro:
        data["description"] = page.intro
    data["url"] = page.full_url
    services = [
        {
            "@type": "GovernmentService",
            "name": block.value.title,
            "description": block.value.summary,
            "provider": {"@type": "GovernmentOrganization", "name": block.value.office.name},
        }
        for block in page.body
        if block.block_type == "service" and block.value is not None
    ]
    if services:
        data["mentions"] = services
    if isinstance(page, EventIndexPage) and (items := _events(events, page, profile)):
        data["mainEntity"] = {"@type": "ItemList", "itemListElement": items}
    return data


def _events(offers: Iterable, page: EventIndexPage, profile: SiteProfile | None) -> list[dict]:
    """The offers the page lists, as schema.org events (only those with a date)."""
    site = page.get_site()
    root = site.root_url if site else ""
    events = []
    for offer in offers:
        if offer.starts_at is None:
            continue
        event = {
            "@type": "Event",
            "name": offer.title,
            "description": offer.summary,
            "startDate": offer.starts_at.isoformat(),
            "url": root + reverse("programs:offer", args=[offer.slug]),
            "organizer": organisation(profile),
        }
        if offer.ends_at:
            event["endDate"] = offer.ends_at.isoformat()
        if venue := offer.venue:
            event["location"] = {
                "@type": "Place",
                "name": venue.name,
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": venue.street,
                    "postalCode": venue.postcode,
                    "addressLocality": venue.city,
                    "addressCountry": "DE",
                },
            }
        events.append(event)
    return events
