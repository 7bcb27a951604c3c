import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/leistungen/", "/healthz", "/api/v1/leistungen", "/gibt-es-nicht/"]
)
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_no_hsts_over_plain_http(client):
    assert "Strict-Transport-Security" not in client.get("/")


@pytest.mark.django_db
def test_hsts_and_upgrade_when_served_over_tls(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "upgrade-insecure-requests" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_pages_load_nothing_from_other_hosts(client):
    """No CDN, no web fonts, no analytics: every src and href stays on our host."""
    import re

    for path in [
        "/",
        "/leistungen/",
        "/leistungen/personalausweis-beantragen/",
        "/barrierefreiheit/",
    ]:
        html = client.get(path).content.decode()
        for attribute, url in re.findall(r'\b(src|href)="([^"]+)"', html):
            if attribute == "href" and url.startswith(("mailto:", "tel:")):
                continue
            assert not url.startswith(("http:", "https:", "//")), f"{path}: {url}"
