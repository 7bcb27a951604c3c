"""Anyone can check a Bescheid: by its code, and optionally that a PDF is exactly it."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from rathaus.core.forms import TextField, posted
from rathaus.core.secrets import normalise_code

from ..services import decisions


class VerifyForm(forms.Form):
    code = TextField(
        label=_("Prüfcode des Bescheids"),
        max_length=20,
        help_text=_("Er steht unten auf dem Bescheid, z. B. K7Q4-M2XP-9DHT."),
        error_messages={"required": _("Bitte geben Sie den Prüfcode ein.")},
    )


class CompareForm(forms.Form):
    datei = forms.FileField(
        label=_("Bescheid als PDF (optional)"),
        required=True,
        help_text=_(
            "Wir vergleichen den Fingerabdruck (SHA-256) der Datei; sie wird nicht gespeichert."
        ),
        error_messages={"required": _("Bitte wählen Sie die PDF-Datei.")},
    )


def verify_start(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(posted(request))
    if request.method == "POST" and form.is_valid():
        return redirect("applications:verify_code", normalise_code(form.cleaned_data["code"]))
    return render(request, "applications/verify.html", {"form": form})


def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    compare = CompareForm(posted(request), request.FILES or None)
    upload_bytes = None
    if request.method == "POST" and compare.is_valid():
        upload = compare.cleaned_data["datei"]
        upload_bytes = upload.read(20 * 1024 * 1024 + 1)
        if len(upload_bytes) > 20 * 1024 * 1024:
            compare.add_error("datei", _("Die Datei ist zu groß."))
            upload_bytes = None
    result = decisions.verify(code, upload_bytes)
    return render(
        request,
        "applications/verify_result.html",
        {"code": normalise_code(code), "result": result, "compare": compare},
        status=200 if result.document else 404,
    )
