"""Pages of a listing: Wagtail's ``limit``/``offset`` pagination with a bounded offset."""

from django.utils.translation import gettext as _
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.utils import BadRequestError

MAX_OFFSET = 10**9


def parse_count(name, text, default, maximum):
    """A whole number from 0 to ``maximum``; BadRequestError with a sentence otherwise."""
    if text is None:
        return default
    if not (text.isascii() and text.isdigit()) or len(text) > 18 or int(text) > maximum:
        raise BadRequestError(
            _("%(name)s must be a whole number from 0 to %(max)s.") % {"name": name, "max": maximum}
        )
    return int(text)


class OpenDataPagination(WagtailPagination):
    """``{"meta": {"total_count"}, "items"}``, like Wagtail's API; ``limit`` 0 to
    ``WAGTAILAPI_LIMIT_MAX`` (default 20), ``offset`` 0 to a billion (databases refuse more)."""

    def paginate_queryset(self, queryset, request, view=None):
        from . import conf

        parse_count("offset", request.GET.get("offset"), 0, MAX_OFFSET)
        parse_count("limit", request.GET.get("limit"), 20, conf.max_limit())
        return super().paginate_queryset(queryset, request, view)
