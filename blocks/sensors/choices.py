"""Which sensors a sensor card may show: the metrics of the initiative's registered devices.

A card block cannot know its page when it is defined, so the choice is made where the page
is known: the page editor's cards panel offers :func:`sensor_choices` of the page being
edited (``blocks.panels.CardsPanel``), and the page form refuses a pair that is not known for
that page (:class:`SensorLifecycle`, through the ``card_lifecycle`` hook). The card's stored
shape does not change: ``device`` and ``metric`` stay the keys readings are stored under.
"""

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from wagtail.blocks.struct_block import StructBlockValidationError

from ..fields import CardStreamField
from ..lifecycle import CardLifecycle
from ..models import Metric, Reading
from ..readings import series_name


def registered_for(page):
    """The metrics of ``page``'s devices, with their latest reading: one query.

    Each Metric has ``device`` loaded and ``latest_value`` / ``latest_at`` (None without
    readings). An unsaved page has none.
    """
    if page is None or not page.pk:
        return []
    latest = Reading.objects.filter(device=OuterRef("device__key"), metric=OuterRef("key")).order_by("-measured_at")
    return list(
        Metric.objects.filter(device__initiative_id=page.pk)
        .select_related("device")
        .annotate(latest_value=Subquery(latest.values("value")[:1]), latest_at=Subquery(latest.values("measured_at")[:1]))
        .order_by("device__name", "device__pk", "sort_order", "pk")
    )


def sensor_choices(page):
    """What the sensor card offers on ``page``, in the order the editor reads it::

        [{"device": key, "metric": key, "device_name": str, "metric_name": str, "unit": str,
          "latest": {"value": float, "measured_at": ISO 8601} | None}]
    """
    return [
        {
            "device": metric.device.key,
            "metric": metric.key,
            "device_name": metric.device.name,
            "metric_name": metric.name,
            "unit": metric.unit,
            "latest": None
            if metric.latest_at is None
            else {"value": metric.latest_value, "measured_at": metric.latest_at.isoformat()},
        }
        for metric in registered_for(page)
    ]


def chosen_series(cards):
    """``{index: (device, metric)}`` of the sensor cards in ``cards`` (a StreamValue)."""
    found = {}
    for index, child in enumerate(cards or ()):
        if hasattr(child.value, "series_key") and hasattr(child.value, "readings"):
            found[index] = child.value.series_key
    return found


def stored_series(page):
    """The pairs the page's stored cards already show: they keep working as they are."""
    if page is None:
        return set()
    stored = set()
    for field in page._meta.get_fields():
        if not isinstance(field, CardStreamField):
            continue
        for item in getattr(getattr(page, field.name), "raw_data", None) or ():
            value = item.get("value") if isinstance(item, dict) else None
            if isinstance(value, dict) and "device" in value and "metric" in value:
                stored.add((series_name(value["device"]), series_name(value["metric"])))
    return stored


def refusal(page, device, metric, registered):
    """Why ``(device, metric)`` may not be shown on ``page``: ``(field, message)``, or None."""
    here = [m for m in registered if m.device.key == device]
    if here:
        if any(m.key == metric for m in here):
            return None
        return "metric", _("“%(device)s” has no metric “%(metric)s”. Its metrics: %(metrics)s.") % {
            "device": here[0].device.name,
            "metric": metric,
            "metrics": ", ".join(m.key for m in here),
        }
    elsewhere = Metric.objects.filter(device__key=device).exclude(device__initiative_id=getattr(page, "pk", None))
    if elsewhere.exists():
        return "device", _("The sensor “%(device)s” belongs to another initiative. Choose one of this initiative's sensors.") % {
            "device": device
        }
    if Reading.objects.filter(device=device, metric=metric).exists():
        return None  # readings imported from a file, for a device that is not registered
    return "device", _(
        "No sensor “%(device)s” with a metric “%(metric)s” is known for this initiative. Choose a "
        "registered sensor, or register it under Sensors first."
    ) % {"device": device, "metric": metric}


class SensorLifecycle(CardLifecycle):
    """Refuses a sensor card whose device and metric are not known for the page.

    Known: a metric of one of the page's registered devices, or a series with readings of a
    device that no initiative registered (a CSV import). Pairs the page's stored cards show
    already are not checked again, so content stored with free-text keys keeps working.
    """

    def check(self, page, cards):
        chosen = chosen_series(cards)
        if not chosen:
            return {}, []
        stored = stored_series(page)
        new = {index: pair for index, pair in chosen.items() if pair not in stored}
        if not new:
            return {}, []
        registered = registered_for(page)
        errors = {}
        for index, (device, metric) in new.items():
            found = refusal(page, device, metric, registered)
            if found:
                field, message = found
                errors[index] = StructBlockValidationError(block_errors={field: ValidationError(message)})
        return errors, []
