"""Anyone can check a Bescheid: by its code or by the PDF itself, against the city's
records and the transparency log."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from rathaus.core.forms import TextField, posted
from rathaus.core.secrets import normalise_code

from ..services import decisions

MAX_PDF = 20 * 1024 * 1024


class PdfField(forms.FileField):
    """A Bescheid as uploaded: read whole (at most 20 MB) so its fingerprint can be taken;
    it is never stored."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return None
        content = upload.read(MAX_PDF + 1)
        if len(content) > MAX_PDF:
            raise forms.ValidationError(_("Die Datei ist zu groß (höchstens 20 MB)."))
        return content


class VerifyForm(forms.Form):
    code = TextField(
        label=_("Prüfcode des Bescheids"),
        max_length=20,
        required=False,
        help_text=_("Er steht unten auf dem Bescheid, z. B. K7Q4-M2XP-9DHT."),
    )
    datei = PdfField(
        label=_("oder der Bescheid als PDF-Datei"),
        required=False,
        help_text=_(
            "Wir vergleichen den Fingerabdruck (SHA-256) der Datei; sie wird nicht gespeichert."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("code") and not cleaned.get("datei"):
            raise forms.ValidationError(
                _("Bitte geben Sie den Prüfcode ein oder wählen Sie die PDF-Datei.")
            )
        return cleaned


class CompareForm(forms.Form):
    datei = PdfField(
        label=_("Bescheid als PDF"),
        help_text=_(
            "Wir vergleichen den Fingerabdruck (SHA-256) der Datei; sie wird nicht gespeichert."
        ),
        error_messages={"required": _("Bitte wählen Sie die PDF-Datei.")},
    )


def verify_start(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        code, content = form.cleaned_data["code"], form.cleaned_data["datei"]
        if content is None:
            return redirect("applications:verify_code", normalise_code(code))
        result = decisions.verify_file(content, code)
        return _result(request, result, code=code, compare=CompareForm())
    return render(request, "applications/verify.html", {"form": form})


def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    compare = CompareForm(posted(request), request.FILES or None)
    content = compare.cleaned_data["datei"] if compare.is_valid() else None
    return _result(request, decisions.verify(code, content), code=code, compare=compare)


def _result(
    request: HttpRequest, result: decisions.Verification, *, code: str, compare: CompareForm
) -> HttpResponse:
    code = result.document.verification_code if result.document else normalise_code(code)
    return render(
        request,
        "applications/verify_result.html",
        {"code": code, "result": result, "compare": compare},
        status=200 if result.document else 404,
    )
