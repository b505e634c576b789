"""What every open-data endpoint shares: no authentication, the rate limit, JSON."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import JSONRenderer
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.utils import BadRequestError

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


PAGE_PARAMETERS = [
    OpenApiParameter(
        "limit", OpenApiTypes.INT, description="Items per page: 0 to 100 (default 20).",
    ),
    OpenApiParameter("offset", OpenApiTypes.INT, description="Items to skip (default 0)."),
]

ERROR_RESPONSES = {
    400: ErrorSerializer,
    404: ErrorSerializer,
    429: ErrorSerializer,
}


class OpenDataView(MessageErrors, GenericAPIView):
    """An endpoint of the open-data API (read-only, public, rate-limited)."""

    # Everything here is what anonymous visitors see: no sessions, so no private answers.
    authentication_classes = []
    permission_classes = []
    throttle_classes = [OpenDataRateThrottle]
    renderer_classes = [JSONRenderer]
    pagination_class = WagtailPagination
    known_query_parameters = frozenset()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        unknown = set(request.query_params) - self.known_query_parameters
        if unknown:
            raise ValidationError(
                {"message": _("Unknown query parameter: %(names)s.") % {"names": ", ".join(sorted(unknown))}}
            )
