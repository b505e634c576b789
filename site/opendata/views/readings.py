"""Sensor readings as open data: the series behind each sensor card a visitor can see.

A series is published when a card visitors see on a public initiative charts it (the card
says which series through ``reading_series()``), so the API never opens a series that the
site does not show. Readings come in pages of at most ``CTYLAB_OPENDATA_MAX_READINGS`` from
the ``(device, metric, -measured_at)`` index; aggregates are computed by the database in at
most that many buckets. Both as JSON or CSV (``readings.csv``, ``aggregates.csv``).
"""

import csv
import io
from datetime import UTC, datetime, timedelta

from django.db.models import Avg, Count, Max, Min
from django.db.models.functions import TruncDay, TruncHour, TruncMonth, TruncWeek
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from blocks.cards.base import api_moment
from blocks.models import Reading

from .. import conf
from ..http import last_modified
from ..pagination import MAX_OFFSET, parse_count
from ..public import public_initiative
from .base import CARD_ID, MAX_ID, PAGE_ID, OpenDataView, counting

INTERVALS = {
    "hour": (TruncHour, timedelta(hours=1)),
    "day": (TruncDay, timedelta(days=1)),
    "week": (TruncWeek, timedelta(weeks=1)),
    "month": (TruncMonth, timedelta(days=31)),
}
DEFAULT_SPAN = {"readings": timedelta(days=7), "aggregates": timedelta(days=30)}


class ReadingSerializer(serializers.Serializer):
    measured_at = serializers.DateTimeField()
    value = serializers.FloatField()


class BucketSerializer(serializers.Serializer):
    start = serializers.DateTimeField(help_text="Start of the bucket (UTC).")
    count = serializers.IntegerField(min_value=1)
    min = serializers.FloatField()
    max = serializers.FloatField()
    mean = serializers.FloatField()


class SeriesSerializer(serializers.Serializer):
    initiative = serializers.IntegerField()
    card = serializers.CharField()
    device = serializers.CharField()
    metric = serializers.CharField()
    unit = serializers.CharField()
    since = serializers.DateTimeField()
    until = serializers.DateTimeField()


class ReadingsSerializer(SeriesSerializer):
    meta = serializers.DictField(help_text="total_count: readings in the range.")
    items = ReadingSerializer(many=True)


class AggregatesSerializer(SeriesSerializer):
    interval = serializers.ChoiceField(choices=list(INTERVALS))
    items = BucketSerializer(many=True)


RANGE_PARAMETERS = [
    OpenApiParameter(
        "since",
        OpenApiTypes.DATETIME,
        description="ISO 8601; without an offset it is UTC. Default: a week (readings) or 30 days (aggregates) before until.",
    ),
    OpenApiParameter("until", OpenApiTypes.DATETIME, description="ISO 8601, exclusive. Default: now."),
]
PAGE_PARAMETERS = [
    PAGE_ID,
    CARD_ID,
    OpenApiParameter(
        "limit", counting(MAX_ID), description="Readings per page (default 1000); more than CTYLAB_OPENDATA_MAX_READINGS (5000) gives that many."
    ),
    OpenApiParameter("offset", counting(MAX_OFFSET)),
]
INTERVAL_PARAMETERS = [
    PAGE_ID,
    CARD_ID,
    OpenApiParameter("interval", str, enum=list(INTERVALS), description="Bucket size (default day)."),
]


def parse_moment(name, text):
    try:
        moment = parse_datetime(text)
    except ValueError:
        moment = None
    if moment is None:
        raise ValidationError(
            {"message": _("%(name)s must be an ISO 8601 date and time, e.g. 2026-05-01T12:00:00Z.") % {"name": name}}
        )
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    # In UTC, as the database compares them (it refuses offsets beyond ±15:59).
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # an instant before the year 1 or after 9999 in UTC
        return EARLIEST if moment.year < 5000 else LATEST


EARLIEST = datetime.min.replace(tzinfo=UTC)
LATEST = datetime.max.replace(tzinfo=UTC)


def earlier(moment, span):
    """``moment - span``, or the earliest moment there is."""
    try:
        return moment - span
    except OverflowError:
        return EARLIEST


class SeriesView(OpenDataView):
    kind = "readings"
    known_query_parameters = frozenset(["since", "until", "limit", "offset"])
    as_csv = False

    def series(self, page_id, card_id):
        """(page, card child, (device, metric), unit) of a visible card charting a series."""
        page = public_initiative(self.request, page_id)
        if page is not None:
            for card in page.cards_for_display():
                value = card.child.value
                series = value.reading_series() if hasattr(value, "reading_series") else None
                if card.child.id == card_id and series is not None:
                    return page, series, value.get("unit") or ""
        raise Http404(_("No visible sensor card of a public initiative has this id."))

    def time_range(self):
        query = self.request.query_params
        until = parse_moment("until", query["until"]) if "until" in query else timezone.now()
        since = (
            parse_moment("since", query["since"])
            if "since" in query
            else earlier(until, DEFAULT_SPAN[self.kind])
        )
        # since at or after until is an empty range: no readings, not an error.
        return since, until

    def header(self, page_id, card_id, series, unit, since, until):
        return {
            "initiative": page_id,
            "card": card_id,
            "device": series[0],
            "metric": series[1],
            "unit": unit,
            "since": api_moment(since),
            "until": api_moment(until),
        }

    def csv_response(self, header, rows, filename):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class ReadingsView(SeriesView):
    """A series' readings in a time range, oldest first, paged."""

    serializer_class = ReadingsSerializer

    @extend_schema(parameters=[*RANGE_PARAMETERS, *PAGE_PARAMETERS])
    def get(self, request, page_id, card_id):
        page, series, unit = self.series(page_id, card_id)
        since, until = self.time_range()
        # More than the most readings per answer gives that many (the next page has the rest).
        limit = min(parse_count("limit", request.query_params.get("limit"), 1000, MAX_ID), conf.max_readings())
        offset = parse_count("offset", request.query_params.get("offset"), 0, MAX_OFFSET)
        readings = Reading.objects.filter(
            device=series[0], metric=series[1], measured_at__gte=since, measured_at__lt=until
        )
        rows = list(
            readings.order_by("measured_at").values_list("measured_at", "value")[offset : offset + limit]
        )
        newest = readings.aggregate(newest=Max("measured_at"))["newest"]
        if self.as_csv:
            response = self.csv_response(
                ["measured_at", "value"],
                [(api_moment(moment), value) for moment, value in rows],
                f"{series[0]}-{series[1]}.csv",
            )
        else:
            body = self.header(page_id, card_id, series, unit, since, until)
            body["meta"] = {"total_count": readings.count()}
            body["items"] = [{"measured_at": api_moment(moment), "value": value} for moment, value in rows]
            response = Response(body)
        return last_modified(response, newest)


class ReadingsCSVView(ReadingsView):
    as_csv = True

    @extend_schema(
        parameters=[*RANGE_PARAMETERS, *PAGE_PARAMETERS],
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="measured_at,value")},
    )
    def get(self, request, page_id, card_id):
        return super().get(request, page_id, card_id)


class AggregatesView(SeriesView):
    """Count, minimum, maximum and mean of a series per hour, day, week or month (UTC).

    At most ``CTYLAB_OPENDATA_MAX_READINGS`` buckets: a longer range is shortened at its start,
    and the answer's ``since`` says from when it counts.
    """

    kind = "aggregates"
    serializer_class = AggregatesSerializer
    known_query_parameters = frozenset(["since", "until", "interval"])

    @extend_schema(parameters=[*RANGE_PARAMETERS, *INTERVAL_PARAMETERS])
    def get(self, request, page_id, card_id):
        page, series, unit = self.series(page_id, card_id)
        since, until = self.time_range()
        interval = request.query_params.get("interval", "day")
        if interval not in INTERVALS:
            raise ValidationError({"message": _("interval must be hour, day, week or month.")})
        trunc, width = INTERVALS[interval]
        # At most CTYLAB_OPENDATA_MAX_READINGS buckets: a longer range starts later (the
        # answer's ``since`` says where), so one answer never costs more than that.
        since = max(since, earlier(until, width * conf.max_readings()))
        readings = Reading.objects.filter(
            device=series[0], metric=series[1], measured_at__gte=since, measured_at__lt=until
        )
        buckets = list(
            readings.annotate(start=trunc("measured_at", tzinfo=UTC))
            .values("start")
            .annotate(count=Count("pk"), low=Min("value"), high=Max("value"), mean=Avg("value"))
            .order_by("start")
        )
        newest = readings.aggregate(newest=Max("measured_at"))["newest"]
        rows = [
            {
                "start": api_moment(bucket["start"]),
                "count": bucket["count"],
                "min": bucket["low"],
                "max": bucket["high"],
                "mean": bucket["mean"],
            }
            for bucket in buckets
        ]
        if self.as_csv:
            response = self.csv_response(
                ["start", "count", "min", "max", "mean"],
                [tuple(row.values()) for row in rows],
                f"{series[0]}-{series[1]}-{interval}.csv",
            )
        else:
            body = self.header(page_id, card_id, series, unit, since, until)
            body["interval"] = interval
            body["items"] = rows
            response = Response(body)
        return last_modified(response, newest)


class AggregatesCSVView(AggregatesView):
    as_csv = True

    @extend_schema(
        parameters=[*RANGE_PARAMETERS, *INTERVAL_PARAMETERS],
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="start,count,min,max,mean")},
    )
    def get(self, request, page_id, card_id):
        return super().get(request, page_id, card_id)
