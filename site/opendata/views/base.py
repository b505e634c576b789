"""What every open-data endpoint shares: no authentication, the rate limit, JSON."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import JSONRenderer
from wagtail.api.v2.utils import BadRequestError

from .. import conf
from ..pagination import MAX_OFFSET, OpenDataPagination
from ..public import MAX_ID
from ..schema import ErrorSerializer
from ..throttling import OpenDataRateThrottle


class MessageErrors:
    """Every refusal is ``{"message": "…"}`` (Wagtail's API form), in the language asked for."""

    def handle_exception(self, exc):
        if isinstance(exc, BadRequestError):
            exc = ValidationError({"message": str(exc)})
        response = super().handle_exception(exc)
        data = response.data
        if isinstance(data, dict) and "message" not in data:
            response.data = {"message": str(data.get("detail", data))}
        return response


def counting(maximum=None):
    """The schema of a count parameter: a whole number from 0 (to ``maximum``)."""
    schema = {"type": "integer", "minimum": 0}
    if maximum is not None:
        schema["maximum"] = maximum
    return schema



class PageLimitParameter(OpenApiParameter):
    """``limit`` of a paged listing, documented with the maximum the pagination applies
    (``conf.max_limit``, the ``WAGTAILAPI_LIMIT_MAX`` setting) read when the document is
    generated, not when this module is imported."""

    def __init__(self):
        super().__init__("limit")

    @property
    def type(self):
        return counting(conf.max_limit())

    @type.setter
    def type(self, value):
        pass  # always the setting's (OpenApiParameter.__init__ assigns one)

    @property
    def description(self):
        return f"Items per page: 0 to {conf.max_limit()} (default 20)."

    @description.setter
    def description(self, value):
        pass


PAGE_PARAMETERS = [
    PageLimitParameter(),
    OpenApiParameter("offset", counting(MAX_OFFSET), description="Items to skip (default 0)."),
]
PAGE_ID = OpenApiParameter(
    "page_id", counting(MAX_ID), OpenApiParameter.PATH, description="The initiative's id."
)
CARD_ID = OpenApiParameter(
    "card_id",
    {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"},
    OpenApiParameter.PATH,
    description="The card's id (``cards[].id`` of the initiative).",
)

ERROR_RESPONSES = {
    400: ErrorSerializer,
    404: ErrorSerializer,
    429: ErrorSerializer,
}


def not_found(request, *args, **kwargs):
    """Any other address under the API: a 404 in the API's form, not the site's HTML page."""
    response = JsonResponse({"message": _("There is nothing at this address of the API.")}, status=404)
    return response


class OpenDataView(MessageErrors, GenericAPIView):
    """An endpoint of the open-data API (read-only, public, rate-limited)."""

    # Everything here is what anonymous visitors see: no sessions, so no private answers.
    authentication_classes = []
    permission_classes = []
    throttle_classes = [OpenDataRateThrottle]
    renderer_classes = [JSONRenderer]
    pagination_class = OpenDataPagination
    known_query_parameters = frozenset()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        unknown = set(request.query_params) - self.known_query_parameters
        if unknown:
            raise ValidationError(
                {"message": _("Unknown query parameter: %(names)s.") % {"names": ", ".join(sorted(unknown))}}
            )
