"""Importing sensor readings from CSV: all rows or none.

The file needs a header with the columns ``device, metric, measured_at, value``
(``measured_at`` in ISO 8601; without an offset it is read in the site's time zone, and a
time the clocks skip or repeat there is refused: see ``blocks.localtime``).
Every row is checked before anything is written; if any row is malformed nothing is stored
and every problem is reported with its line number.
"""

import csv
import math
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from .localtime import parse_local_datetime
from .models import Reading
from .readings import series_name
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


def parse_row(row):
    device = series_name(row.get("device"))
    metric = series_name(row.get("metric"))
    if not device:
        raise ValueError(_("the device is empty"))
    if not metric:
        raise ValueError(_("the metric is empty"))
    if len(device) > 100 or len(metric) > 100:
        raise ValueError(_("device and metric are limited to 100 characters"))
    raw_time = (row.get("measured_at") or "").strip()
    # A time without an offset that the clocks skip or show twice raises WallClockError (a
    # ValueError with its message): guessing would store it as another reading's instant.
    measured_at = parse_local_datetime(raw_time)
    if measured_at is None:
        raise ValueError(_("%(value)r is not a date and time (ISO 8601)") % {"value": raw_time})
    raw_value = (row.get("value") or "").strip()
    try:
        value = float(raw_value)
    except ValueError:
        raise ValueError(_("%(value)r is not a number") % {"value": raw_value}) from None
    if not math.isfinite(value):
        raise ValueError(_("%(value)r is not a finite number") % {"value": raw_value})
    return Reading(device=device, metric=metric, measured_at=measured_at, value=value)


def read_csv(lines):
    """Parse CSV text lines into Reading objects, or raise ReadingsImportError."""
    reader = csv.DictReader(lines)
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise ReadingsImportError(
            [ImportProblem(1, _("the header lacks the column(s): %(columns)s") % {"columns": ", ".join(missing)})]
        )
    reader.fieldnames = header
    readings, problems, seen = [], [], {}
    try:
        for row in reader:
            line = reader.line_num
            if None in row:
                problems.append(ImportProblem(line, _("the row has more fields than the header")))
                continue
            try:
                reading = parse_row(row)
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


def import_readings(lines):
    """Store the readings in ``lines`` (CSV text); readings already stored are left as they are."""
    readings = read_csv(lines)
    result = ImportResult(rows=len(readings))
    with transaction.atomic():
        before = Reading.objects.count()
        Reading.objects.bulk_create(readings, batch_size=1000, ignore_conflicts=True)
        result.created = Reading.objects.count() - before
    result.series = {(reading.device, reading.metric) for reading in readings}
    if result.created:
        readings_imported.send(sender=Reading, series=result.series)
    return result
