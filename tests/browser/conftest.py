"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium) against a live server.

What happens without Chromium is decided in tests/conftest.py (left out with a note,
or a failed run in CI).
"""

import json

import pytest

from tests.support import AXE, CHROMIUM, restore_demo_city

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(locale="de-DE", base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def city(transactional_db):
    """The demo city in the live server's database (which is emptied after every test)."""
    restore_demo_city()


def csp_violations(page) -> list[str]:
    """A list that fills with every Content-Security-Policy refusal the page reports."""
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Security Policy" in m.text else None)
    return refused


def assert_accessible(page) -> None:
    """axe-core, WCAG 2.1 A and AA rules: no serious or critical finding on the current page,
    read once its short animations have ended (a message fading in has a paler colour; a
    badge pulsing for 25 seconds is not waited for)."""
    page.wait_for_function(
        """() => document.getAnimations().every(a => a.playState !== 'running'
            || a.effect.getComputedTiming().activeDuration > 2000)"""
    )
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            resultTypes: ['violations'],
        })"""
    )
    serious = [v for v in result["violations"] if v["impact"] in {"serious", "critical"}]
    details = [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"][:5]],
            "first": v["nodes"][0]["html"][:300] + " – " + v["nodes"][0]["failureSummary"],
        }
        for v in serious
    ]
    assert not serious, f"{page.url}: " + json.dumps(details, ensure_ascii=False, indent=2)


class VirtualAuthenticator:
    """Chromium's DevTools WebAuthn authenticator: CTAP2, resident keys, user verification."""

    def __init__(self, page):
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("WebAuthn.enable", {"enableUI": False})
        self.id = None
        self.plug_in()

    def plug_in(self) -> None:
        self.id = self.cdp.send(
            "WebAuthn.addVirtualAuthenticator",
            {
                "options": {
                    "protocol": "ctap2",
                    "transport": "internal",
                    "hasResidentKey": True,
                    "hasUserVerification": True,
                    "isUserVerified": True,
                    "automaticPresenceSimulation": True,
                }
            },
        )["authenticatorId"]

    def credentials(self) -> list[dict]:
        return self.cdp.send("WebAuthn.getCredentials", {"authenticatorId": self.id})["credentials"]

    def unplug(self) -> None:
        self.cdp.send("WebAuthn.removeVirtualAuthenticator", {"authenticatorId": self.id})


@pytest.fixture
def authenticator(page):
    return VirtualAuthenticator(page)


def signed_in_page(chromium, live_server, user):
    """A page whose browser holds a fresh, passkey-confirmed session of ``user``."""
    import time
    from urllib.parse import urlsplit

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from rathaus.accounts.services.sessions import SIGNED_IN_AT, VERIFIED_AT

    session = SessionStore()
    session.update(
        {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
            VERIFIED_AT: time.time(),
            SIGNED_IN_AT: time.time(),
        }
    )
    session.create()
    context = chromium.new_context(locale="de-DE", base_url=live_server.url)
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": session.session_key,
                "domain": urlsplit(live_server.url).hostname,
                "path": "/",
            }
        ]
    )
    return context.new_page()
