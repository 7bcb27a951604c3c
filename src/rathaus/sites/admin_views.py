"""Two of wagtail-localize's admin views, kept to Rathaus's rules (``wagtail_hooks.py`` puts
them on the same paths, before wagtail-localize's own)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail_localize.views import edit_translation
from wagtail_localize.views import update_translations as localize_update

from rathaus.language.endpoints import EndpointFailed


def machine_translate(request: HttpRequest, translation_id: int) -> HttpResponse:
    """The machine-translation button; an unreachable translation service is a message that
    says what to do, not an error page."""
    try:
        return edit_translation.machine_translate(request, translation_id)
    except EndpointFailed:
        messages.error(
            request,
            _(
                "Der Übersetzungsdienst antwortet gerade nicht. Bitte versuchen Sie es später "
                "noch einmal, oder übersetzen Sie die Texte selbst."
            ),
        )
        return redirect(get_valid_next_url_from_request(request) or reverse("wagtailadmin_home"))


def update_translations(request: HttpRequest, translation_source_id: int) -> HttpResponse:
    """ "Übersetzungen aktualisieren" takes the new German texts; "sofort veröffentlichen" is
    not offered by Rathaus: a second person publishes each translation in its editor."""
    if request.method == "POST" and request.POST.get("publish_translations"):
        request.POST = request.POST.copy()
        del request.POST["publish_translations"]
        messages.info(
            request,
            _(
                "Die Übersetzungen sind aktualisiert, aber nicht veröffentlicht: Das übernimmt "
                "eine zweite Person aus der Freigabegruppe im Übersetzungseditor."
            ),
        )
    return localize_update.UpdateTranslationsView.as_view()(
        request, translation_source_id=translation_source_id
    )
