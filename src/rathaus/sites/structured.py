"""schema.org descriptions of pages (JSON-LD), for search engines and assistants."""

from .models import InstitutionPage, NewsPage, SitePage, SiteProfile


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


def for_page(page: SitePage, profile: SiteProfile | None) -> dict:
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
    return data
