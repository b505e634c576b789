"""``/api/v2/``: the open-data API. Every answer goes through ``http.open_data_response``."""

from django.urls import path, re_path
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.utils.urlpatterns import decorate_urlpatterns

from .http import open_data_response
from .views import governance, readings, tenders
from .views.base import not_found
from .views.initiatives import InitiativesAPIViewSet
from .views.schema import SchemaView

router = WagtailAPIRouter("opendata")
router.register_endpoint("initiatives", InitiativesAPIViewSet)

app_name = "opendata"

card = "initiatives/<int:page_id>/cards/<str:card_id>"
urlpatterns = [
    *router.get_urlpatterns(),
    path(
        "initiatives/<int:page_id>/decisions/",
        governance.InitiativeDecisionListView.as_view(),
        name="initiative-decisions",
    ),
    path(
        "initiatives/<int:page_id>/governance-log/",
        governance.GovernanceLogView.as_view(),
        name="governance-log",
    ),
    path(
        "initiatives/<int:page_id>/tender-awards/",
        tenders.TenderAwardListView.as_view(),
        name="initiative-tender-awards",
    ),
    path(f"{card}/readings/", readings.ReadingsView.as_view(), name="card-readings"),
    path(f"{card}/readings.csv", readings.ReadingsCSVView.as_view(), name="card-readings-csv"),
    path(f"{card}/aggregates/", readings.AggregatesView.as_view(), name="card-aggregates"),
    path(f"{card}/aggregates.csv", readings.AggregatesCSVView.as_view(), name="card-aggregates-csv"),
    path("decisions/", governance.DecisionListView.as_view(), name="decisions"),
    path("decisions/<uuid:proposal_uuid>/", governance.DecisionDetailView.as_view(), name="decision"),
    path("decision-contract/", governance.ContractView.as_view(), name="decision-contract"),
    path("schema/", SchemaView.as_view(), name="schema"),
    re_path(r"", not_found),
]
decorate_urlpatterns(urlpatterns, open_data_response)
