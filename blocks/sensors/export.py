"""The compensation export: what each producer's meters counted per month, as CSV.

Columns: ``producer, device, metric, unit, month (YYYY-MM), yield`` for the last 12 months
of every registered cumulative metric of an initiative (``blocks.sensors.yields``), one
query for the yields whatever the history holds. Only the initiative's frontrunners (and
superusers) may download it: it says who produced how much.
"""

import csv

from django.apps import apps

from ..models import Metric
from .yields import meter_yields

COLUMNS = ("producer", "device", "metric", "unit", "month", "yield")


def may_export(user, initiative):
    if not (user.is_active and user.is_authenticated):
        return False
    if user.is_superuser:
        return True
    if not apps.is_installed("governance"):
        return False
    # Governance decides who leads an initiative; imported here so blocks does not need it.
    from governance.models import Role
    from governance.services import active_membership

    membership = active_membership(initiative.pk, user)
    return membership is not None and membership.role == Role.FRONTRUNNER


def write_yields_csv(initiative, stream, now=None):
    metrics = list(
        Metric.objects.filter(device__initiative=initiative, cumulative=True)
        .select_related("device")
        .order_by("device__producer", "device__name", "sort_order")
    )
    yields = meter_yields([(metric.device.key, metric.key) for metric in metrics], now=now)
    writer = csv.writer(stream)
    writer.writerow(COLUMNS)
    for metric in metrics:
        meter = yields[(metric.device.key, metric.key)]
        for month, amount in meter.months:
            writer.writerow([
                csv_safe(metric.device.producer or metric.device.name), metric.device.key, metric.key,
                csv_safe(metric.unit), f"{month:%Y-%m}", f"{amount:.3f}",
            ])


def csv_safe(text):
    # A cell starting with = + - @ is a formula to spreadsheet programs (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
