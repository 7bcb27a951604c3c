from django.urls import path, re_path

from .ckan import action
from .views import portal, steward

app_name = "opendata"

FILE = r"(?P<name>daten\.csv|daten\.json|daten\.geojson|datapackage\.json)"
RDF = r"(?P<fmt>ttl|rdf|jsonld)"
SLUG = r"(?P<slug>[a-z0-9_-]{2,100})"

urlpatterns = [
    path("opendaten/", portal.index, name="index"),
    path("opendaten/verwalten/", steward.home, name="steward"),
    path("opendaten/verwalten/neu/", steward.create, name="steward_create"),
    path("opendaten/verwalten/version/<int:pk>/", steward.review, name="steward_review"),
    path("opendaten/verwalten/<slug:slug>/", steward.edit, name="steward_dataset"),
    path("opendaten/stelle/<slug:slug>/", portal.organisation, name="organisation"),
    re_path(rf"^catalog\.{RDF}$", portal.catalog_rdf, name="catalog_rdf"),
    re_path(rf"^opendaten/{SLUG}\.{RDF}$", portal.dataset_rdf, name="dataset_rdf"),
    path("opendaten/<slug:slug>/", portal.dataset, name="dataset"),
    re_path(rf"^opendaten/{SLUG}/{FILE}$", portal.current_file, name="current_file"),
    re_path(
        rf"^opendaten/{SLUG}/v(?P<number>[0-9]{{1,6}})/{FILE}$",
        portal.release_file,
        name="release_file",
    ),
    re_path(r"^api/3/action/(?P<name>[a-z_]{1,60})$", action, name="ckan_action"),
    re_path(r"^api/action/(?P<name>[a-z_]{1,60})$", action, name="ckan_action_short"),
]
