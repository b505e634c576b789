"""The small JSON a sensor card fetches to keep up: latest reading and the chosen range's chart.

``GET /sensors/cards/<page id>/<card id>/?range=24h|7d|30d|1y`` answers, for a card of a
live, public page that visitors are shown::

    {"range": "7d", "latest": {"time": ISO 8601, "value": float} | null,
     "chart": {"points": "x,y …", "low", "high", "count", "since"} | null,
     "unit": str}

404 for anything else (a draft, a private page, a card that is switched off or not a
sensor card); 400 for an unknown range. It costs three queries whatever the history holds.
"""

from django.http import Http404, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.models import Page

from ctylab.reachable import reachable

from ..fields import CardStreamField
from ..registry import registry
from .series import DEFAULT_RANGE, RANGES, chart_geometry, series_points

MAX_AGE_SECONDS = 30


def find_card(page_id, block_id):
    page = reachable(Page.objects.filter(pk=page_id)).first()
    if page is None or page.specific_class is None:
        raise Http404
    page = page.specific
    policy = registry.policy(page)
    for model_field in page._meta.get_fields():
        if isinstance(model_field, CardStreamField):
            for child in getattr(page, model_field.name):
                if child.id == block_id and hasattr(child.value, "readings") and policy.shows(child.block_type):
                    return page, child.value
    raise Http404


@require_GET
def card_series(request, page_id, block_id):
    range_name = request.GET.get("range", DEFAULT_RANGE)
    if range_name not in RANGES:
        return JsonResponse(
            {"error": {"code": "unknown_range", "message": _("Choose one of: %(ranges)s") % {"ranges": ", ".join(RANGES)}}},
            status=400,
        )
    _page, card = find_card(page_id, block_id)
    device, metric = card["device"], card["metric"]
    now = timezone.now()
    points = series_points(device, metric, range_name, now)
    latest = card.latest_reading
    chart = chart_geometry(points)
    if chart:
        chart["since"] = chart["since"].isoformat()
    response = JsonResponse(
        {
            "range": range_name,
            "unit": card.unit_label,
            "latest": {"time": latest[0].isoformat(), "value": latest[1]} if latest else None,
            "chart": chart,
        }
    )
    response["Cache-Control"] = f"public, max-age={MAX_AGE_SECONDS}"
    return response
