"""The OpenAPI document: generated on each request, so rate-limited like every other answer."""

from drf_spectacular.views import SpectacularAPIView

from ..throttling import OpenDataRateThrottle
from .base import MessageErrors


class SchemaView(MessageErrors, SpectacularAPIView):
    """``/api/v2/schema/``: drf-spectacular's view within the client's rate limit, refusing in
    the API's ``{"message": …}`` form."""

    throttle_classes = [OpenDataRateThrottle]
