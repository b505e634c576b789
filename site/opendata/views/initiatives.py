"""Initiatives and their cards through Wagtail's API v2 (``wagtail.api.v2``).

``/api/v2/initiatives/`` lists public initiatives (most recently active first) and
``/api/v2/initiatives/<id>/`` gives one with its cards, in the order visitors see them. The
fields are fixed (no ``fields=`` parameter), so the OpenAPI document describes every answer
exactly. Filters: ``ambition``, ``municipality``, ``near=<latitude>,<longitude>`` within ``km`` (default 10)
(great-circle distance), ``child_of=<initiative id>`` (sub-initiatives). On an initiative's own
domain only that initiative and its sub-initiatives are listed.
"""

import re

from django.db.models import F, FloatField, Max, Value
from django.db.models.functions import ASin, Cast, Cos, Least, Power, Radians, Sin, Sqrt
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.renderers import JSONRenderer
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet

from initiatives.models import InitiativePage

from ..http import last_modified
from ..pagination import OpenDataPagination
from ..public import public_initiatives
from ..schema import InitiativeDetailSerializer, InitiativeListSerializer
from ..serializers import CARDS_FIELD, INITIATIVE_FIELDS
from ..throttling import OpenDataRateThrottle
from .base import ERROR_RESPONSES, MAX_ID, PAGE_PARAMETERS, MessageErrors, counting

# The mean Earth radius the search's distance filter uses, so both draw the same circle.
EARTH_RADIUS_KM = 6371.0087714
MAX_KM = 20_000.0
DEFAULT_KM = 10.0
# latitude,longitude within −90…90 and −180…180, as the filter accepts them.
NEAR_PATTERN = (
    r"^-?(90(\.0+)?|[1-8]?\d(\.\d+)?),-?(180(\.0+)?|(1[0-7]\d|[1-9]?\d)(\.\d+)?)$"
)


def distance_km(latitude, longitude):
    """Haversine distance in km from a point to each initiative's place, in SQL."""
    lat, lon = Value(latitude, FloatField()), Value(longitude, FloatField())
    # The page stores decimals; the trigonometry is done in floating point.
    page_lat, page_lon = Cast("latitude", FloatField()), Cast("longitude", FloatField())
    half_dlat = Radians(page_lat - lat) / 2
    half_dlon = Radians(page_lon - lon) / 2
    a = Power(Sin(half_dlat), 2) + Cos(Radians(lat)) * Cos(Radians(page_lat)) * Power(
        Sin(half_dlon), 2
    )
    return 2 * EARTH_RADIUS_KM * ASin(Sqrt(Least(a, Value(1.0, FloatField()))))


def parse_point(text):
    """``"52.37,4.89"`` → (52.37, 4.89); BadRequestError with a sentence otherwise."""
    if not re.fullmatch(r"-?[\d.]+,-?[\d.]+", text):
        raise BadRequestError(
            _("near must be a latitude and a longitude separated by a comma, e.g. 52.37,4.89.")
        )
    if not re.fullmatch(NEAR_PATTERN, text):
        raise BadRequestError(_("near must lie within latitude −90…90 and longitude −180…180."))
    latitude, longitude = (float(part) for part in text.split(","))
    return latitude, longitude


def parse_km(text):
    try:
        km = float(text)
    except ValueError:
        km = -1.0
    if not 0 < km <= MAX_KM:
        raise BadRequestError(_("km must be a number above 0 and at most 20000."))
    return km


def parse_id(name, text):
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise BadRequestError(_("%(name)s must be a whole number.") % {"name": name})
    return int(text)


FILTER_PARAMETERS = [
    OpenApiParameter("ambition", str, description="Only initiatives with this ambition (any case)."),
    OpenApiParameter("municipality", str, description="Only initiatives in this municipality (any case)."),
    OpenApiParameter(
        "near",
        {"type": "string", "pattern": NEAR_PATTERN},
        description="Only initiatives within km of this point, latitude,longitude (e.g. 52.37,4.89).",
    ),
    OpenApiParameter(
        "km",
        {"type": "number", "exclusiveMinimum": True, "minimum": 0, "maximum": MAX_KM},
        description="Greatest distance from near, in km (up to 20000; default 10). Without near it is not used.",
    ),
    OpenApiParameter("child_of", counting(MAX_ID), description="Only the sub-initiatives of this initiative."),
]


class InitiativesAPIViewSet(MessageErrors, PagesAPIViewSet):
    """Public initiatives and sub-initiatives, most recently active first; one with its cards."""

    model = InitiativePage
    name = "initiatives"
    authentication_classes = []
    permission_classes = []
    throttle_classes = [OpenDataRateThrottle]
    renderer_classes = [JSONRenderer]
    pagination_class = OpenDataPagination
    filter_backends = []
    known_query_parameters = frozenset(
        ["limit", "offset", "ambition", "municipality", "near", "km", "child_of"]
    )
    meta_fields = ["type", "detail_url", "html_url", "slug", "first_published_at"]
    detail_only_fields = ["cards"]

    @classmethod
    def get_body_fields(cls, model):
        return [*INITIATIVE_FIELDS, CARDS_FIELD]

    @classmethod
    def get_meta_fields(cls, model):
        return cls._convert_api_fields(cls.meta_fields)

    @classmethod
    def get_detail_default_fields(cls, model):
        return cls.get_body_fields_names(model) + cls.get_meta_fields_names(model)

    @classmethod
    def get_listing_default_fields(cls, model):
        names = cls.get_body_fields_names(model) + cls.get_meta_fields_names(model)
        return [name for name in names if name not in cls.detail_only_fields]

    @classmethod
    def get_urlpatterns(cls):
        # No ``find/``: it redirects by id or path, which the detail URL already does.
        return [pattern for pattern in super().get_urlpatterns() if pattern.name != "find"]

    def get_serializer_class(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular generating the document
            return InitiativeDetailSerializer
        model = InitiativePage
        return self._get_serializer_class(
            self.request.wagtailapi_router,
            model,
            [],
            show_details=self.action == "detail_view",
        )

    def check_query_parameters(self, queryset):
        unknown = set(self.request.GET) - self.known_query_parameters
        if unknown:
            raise BadRequestError(
                _("Unknown query parameter: %(names)s.") % {"names": ", ".join(sorted(unknown))}
            )

    def get_base_queryset(self):
        return public_initiatives(self.request)

    def get_queryset(self):
        pages = self.get_base_queryset().prefetch_related("ambitions", "domains")
        if self.action != "listing_view":
            return pages
        query = self.request.GET
        # Every parameter is checked before any is applied, so a bad one is always refused.
        point = parse_point(query["near"]) if "near" in query else None
        km = parse_km(query["km"]) if "km" in query else DEFAULT_KM
        parent_id = parse_id("child_of", query["child_of"]) if "child_of" in query else None
        # NUL never occurs in stored text, and PostgreSQL refuses it in a query.
        ambition = query.get("ambition", "").replace("\x00", "")
        municipality = query.get("municipality", "").replace("\x00", "")
        if ambition:
            pages = pages.filter(ambitions__name__iexact=ambition).distinct()
        if municipality:
            pages = pages.filter(municipality__iexact=municipality)
        if parent_id is not None:
            parent = self.get_base_queryset().filter(pk=parent_id).values_list("path", "depth").first()
            if parent is None:
                return pages.none()
            pages = pages.filter(path__startswith=parent[0], depth=parent[1] + 1)
        if point is not None:
            pages = (
                pages.filter(latitude__isnull=False, longitude__isnull=False)
                .alias(distance_km=distance_km(*point))
                .filter(distance_km__lte=km)
            )
        return pages.order_by(F("last_activity_at").desc(nulls_last=True), "path")

    def get_object(self):
        if not hasattr(self, "_cached_object"):
            pk = int(self.kwargs["pk"])
            found = self.get_queryset().filter(pk=pk) if 0 <= pk <= MAX_ID else None
            self._cached_object = found.first() if found is not None else None
            if self._cached_object is None:
                raise Http404(_("No public initiative has this id."))
        return self._cached_object

    def parent_ids(self, pages):
        """{page id: id of its parent if that is a public initiative} for ``pages``."""
        wanted = {page.path[: -InitiativePage.steplen]: page.pk for page in pages}
        found = dict(
            self.get_base_queryset().filter(path__in=list(wanted)).values_list("path", "pk")
        )
        return {pk: found[path] for path, pk in wanted.items() if path in found}

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["parent_ids"] = getattr(self, "_parent_ids", {})
        return context

    @extend_schema(
        operation_id="initiatives_list",
        parameters=[*PAGE_PARAMETERS, *FILTER_PARAMETERS],
        responses={200: InitiativeListSerializer, **ERROR_RESPONSES},
    )
    def listing_view(self, request):
        queryset = self.get_queryset()
        self.check_query_parameters(queryset)
        pages = list(self.paginate_queryset(queryset))
        self._parent_ids = self.parent_ids(pages)
        serializer = self.get_serializer(pages, many=True)
        response = self.get_paginated_response(serializer.data)
        stamp = queryset.order_by().aggregate(
            changed=Max("last_published_at"), active=Max("last_activity_at")
        )
        return last_modified(response, max(filter(None, stamp.values()), default=None))

    @extend_schema(
        operation_id="initiatives_retrieve",
        parameters=[OpenApiParameter("id", counting(MAX_ID), OpenApiParameter.PATH)],
        responses={200: InitiativeDetailSerializer, **ERROR_RESPONSES},
    )
    def detail_view(self, request, pk):
        self.check_query_parameters(None)
        page = self.get_object()
        self._parent_ids = self.parent_ids([page])
        response = super().detail_view(request, pk)
        moments = [page.last_published_at, page.last_activity_at]
        return last_modified(response, max(filter(None, moments), default=None))
