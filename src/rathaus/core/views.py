import logging
from datetime import UTC, timedelta
from email import message_from_bytes
from email import policy as email_policy
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import metrics, ratelimit, services
from .forms import AccessibilityFeedbackForm
from .management.commands import selfcheck

logger = logging.getLogger(__name__)

# What this server needs to take traffic, and what it merely reports. A dead worker or an
# unreachable Redis does not make one app server worse than another (the cache falls back
# to process memory, mail waits in the queue): were they required, every server would leave
# the load balancer at once and a degraded site would become no site.
READINESS_CHECKS = {"database": selfcheck.check_database}
DEGRADED_CHECKS = {"cache": selfcheck.check_cache, "worker": selfcheck.check_worker}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when this process can reach the database, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # the database is down, whatever the driver calls it
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """For deployments: 503 unless the database works; cache and task worker are reported
    ("degraded") but do not take the server out of service.

    The body lists each check as "ok", "degraded" or "error" only; the details (which may
    name hosts) go to the log.
    """
    results = {}
    for checks, failed in ((READINESS_CHECKS, "error"), (DEGRADED_CHECKS, "degraded")):
        for name, check in checks.items():
            try:
                status, detail = check()
            except Exception as error:  # a check that cannot even run has failed
                status, detail = selfcheck.FAIL, repr(error)
            results[name] = failed if status == selfcheck.FAIL else "ok"
            if status == selfcheck.FAIL:
                logger.warning("%s: %s: %s", failed, name, detail)
    if "error" in results.values():
        return JsonResponse({"status": "error", "checks": results}, status=503)
    overall = "degraded" if "degraded" in results.values() else "ok"
    return JsonResponse({"status": overall, "checks": results})


@never_cache
@require_GET
def prometheus_metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus text for allowed scrapers; a 404 for everyone else, as if it did not exist."""
    if not metrics.may_scrape(request):
        raise Http404
    return HttpResponse(metrics.exposition(), content_type=metrics.CONTENT_TYPE)


@require_GET
def security_txt(request: HttpRequest) -> HttpResponse:
    """RFC 9116: where to report a vulnerability; expires a year ahead, renewed by every deploy."""
    expires = (timezone.now() + timedelta(days=365)).replace(microsecond=0)
    lines = [
        f"Contact: {settings.SECURITY_CONTACT}",
        f"Expires: {expires.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: de, en",
        f"Canonical: {request.build_absolute_uri(request.path)}",
        f"Policy: {request.build_absolute_uri(reverse('core:accessibility'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def imprint(request: HttpRequest) -> HttpResponse:
    return render(request, "core/imprint.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "core/contact.html")


def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement with its feedback form (BITV 2.0 § 7)."""
    if request.method == "POST":
        form = AccessibilityFeedbackForm(request.POST)
        allowed = ratelimit.hit(
            "accessibility-feedback", ratelimit.client_ip(request), limit=5, window=3600
        )
        if not allowed:
            form.add_error(
                None,
                _(
                    "Sie haben in der letzten Stunde schon mehrere Rückmeldungen gesendet. "
                    "Bitte versuchen Sie es später noch einmal oder schreiben Sie uns eine E-Mail."
                ),
            )
        elif form.is_valid():
            if not form.cleaned_data["website"]:  # the honeypot stays empty for people
                services.submit_accessibility_feedback(
                    message=form.cleaned_data["message"],
                    page_url=form.cleaned_data["page_url"],
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                )
            messages.success(
                request,
                _("Vielen Dank! Ihre Rückmeldung ist bei uns eingegangen."),
            )
            return redirect("core:accessibility")
    else:
        page = request.GET.get("seite", "")
        if not url_has_allowed_host_and_scheme(page, allowed_hosts={request.get_host()}):
            page = ""
        form = AccessibilityFeedbackForm(initial={"page_url": page})
    return render(request, "core/accessibility.html", {"form": form})


def demo_mailbox(request: HttpRequest) -> HttpResponse:
    """The demo's mailbox: the newest mails written to var/mail/, so a visitor can open links."""
    if not settings.RATHAUS["DEMO_MAILBOX"]:
        raise Http404
    folder = Path(settings.EMAIL_FILE_PATH)
    files = sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True)[:10]
    mails = []
    for path in files:
        for chunk in reversed(path.read_bytes().split(b"\n" + b"-" * 79 + b"\n")):
            if chunk.strip():
                message = message_from_bytes(chunk, policy=email_policy.default)
                mails.append(
                    {
                        "subject": message["Subject"],
                        "to": message["To"],
                        "date": message["Date"],
                        "body": message.get_body(preferencelist=("plain",)).get_content(),
                    }
                )
    return render(request, "core/demo_mailbox.html", {"mails": mails[:20]})


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)
