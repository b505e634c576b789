"""Importing sensor readings from CSV: all rows or none.

The file needs a header with the columns ``device, metric, measured_at, value``
(``measured_at`` in ISO 8601; without an offset it is read in the site's time zone, and a
time the clocks skip or repeat there is refused: see ``blocks.localtime``). Rows are checked
by the validator the HTTP and MQTT ingestion use (``blocks.sensors.validation``). Every row
is checked before anything is written; if any row is malformed nothing is stored
and every problem is reported with its line number.
"""

import csv
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Reading
from .readings import series_name
from .sensors.rollups import refresh_rollups
from .sensors.validation import ANY_METRIC, MetricRule, ReadingRefused, check_reading
from .signals import readings_imported

COLUMNS = ("device", "metric", "measured_at", "value")
MAX_REPORTED_PROBLEMS = 50


@dataclass
class ImportProblem:
    line: int
    message: str

    def __str__(self):
        return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


class ReadingsImportError(Exception):
    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    series: set = field(default_factory=set)

    @property
    def already_present(self):
        return self.rows - self.created


def registered_rules():
    """The metric rules of every registered device: ``{device key: {metric key: MetricRule}}``."""
    from .models import Device, Metric

    rules = {key: {} for key in Device.objects.values_list("key", flat=True)}
    for metric in Metric.objects.select_related("device"):
        rules[metric.device.key][metric.key] = MetricRule.of(metric)
    return rules


def parse_row(row, rules=None, now=None):
    """A Reading from a CSV row, checked by the validator the APIs use.

    A registered device's readings must name one of its metrics and lie in its range; times
    without an offset are read on the site's clocks (refused in a DST gap or fold).
    """
    device = series_name(row.get("device"))
    metric = series_name(row.get("metric"))
    if not device:
        raise ValueError(_("the device is empty"))
    if not metric:
        raise ValueError(_("the metric is empty"))
    if len(device) > 100 or len(metric) > 100:
        raise ValueError(_("device and metric are limited to 100 characters"))
    device_rules = (rules or {}).get(device)
    rule = ANY_METRIC if device_rules is None else device_rules.get(metric)
    try:
        measured_at, value = check_reading(
            rule,
            (row.get("measured_at") or "").strip(),
            (row.get("value") or "").strip(),
            now=now,
            wall_clock_zone=timezone.get_current_timezone(),
        )
    except ReadingRefused as error:
        raise ValueError(error.message) from None
    return Reading(device=device, metric=metric, measured_at=measured_at, value=value)


def read_csv(lines, now=None):
    """Parse CSV text lines into Reading objects, or raise ReadingsImportError.

    ``now`` (default: the current time) is what "in the future" is measured against.
    """
    reader = csv.DictReader(lines)
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise ReadingsImportError(
            [ImportProblem(1, _("the header lacks the column(s): %(columns)s") % {"columns": ", ".join(missing)})]
        )
    reader.fieldnames = header
    rules, now = registered_rules(), now or timezone.now()
    readings, problems, seen = [], [], {}
    try:
        for row in reader:
            line = reader.line_num
            if None in row:
                problems.append(ImportProblem(line, _("the row has more fields than the header")))
                continue
            try:
                reading = parse_row(row, rules, now)
            except ValueError as error:
                problems.append(ImportProblem(line, str(error)))
                continue
            key = (reading.device, reading.metric, reading.measured_at)
            if key in seen:
                problems.append(
                    ImportProblem(line, _("repeats the reading on line %(line)s") % {"line": seen[key]})
                )
                continue
            seen[key] = line
            readings.append(reading)
    except csv.Error as error:
        problems.append(ImportProblem(reader.line_num, str(error)))
    if problems:
        raise ReadingsImportError(problems[:MAX_REPORTED_PROBLEMS])
    return readings


def import_readings(lines, now=None):
    """Store the readings in ``lines`` (CSV text); readings already stored are left as they are."""
    readings = read_csv(lines, now=now)
    result = ImportResult(rows=len(readings))
    with transaction.atomic():
        before = Reading.objects.count()
        Reading.objects.bulk_create(readings, batch_size=1000, ignore_conflicts=True)
        result.created = Reading.objects.count() - before
        result.series = {(reading.device, reading.metric) for reading in readings}
        if result.created:
            for device, metric in result.series:
                moments = [r.measured_at for r in readings if (r.device, r.metric) == (device, metric)]
                refresh_rollups(device, metric, min(moments), max(moments))
    if result.created:
        readings_imported.send(sender=Reading, series=result.series)
    return result
