"""Choosers in the editor for what other modules own: a catalogue service is picked, never
copied, so the page shows its current text, costs and links."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from rathaus.catalog.models import Service


class ServiceFilterForm(BaseFilterForm):
    q = forms.CharField(label=_("Suche"), required=False, max_length=100)

    def filter(self, objects: QuerySet) -> QuerySet:
        objects = super().filter(objects)
        if query := self.cleaned_data.get("q", "").strip():
            objects = objects.filter(title__icontains=query)
        return objects


class _Published:
    filter_form_class = ServiceFilterForm

    def get_object_list(self) -> QuerySet:
        return Service.objects.published().order_by("title")


class ServiceChooseView(_Published, ChooseView):
    pass


class ServiceChooseResultsView(_Published, ChooseResultsView):
    pass


class ServiceChooserViewSet(ChooserViewSet):
    model = Service
    icon = "doc-full"
    choose_one_text = _("Leistung auswählen")
    choose_another_text = _("Andere Leistung auswählen")
    edit_item_text = _("Leistung bearbeiten")
    choose_view_class = ServiceChooseView
    choose_results_view_class = ServiceChooseResultsView
    per_page = 20


service_chooser_viewset = ServiceChooserViewSet("leistung_auswahl", url_prefix="leistung-auswahl")
ServiceChooserBlock = service_chooser_viewset.get_block_class(
    name="ServiceChooserBlock", module_path="rathaus.sites.choosers"
)
