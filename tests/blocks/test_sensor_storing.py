"""Storing batches of readings: new, repeated and conflicting ones together, roll-ups summed by
the database, and an MQTT batch of several devices in one go (``blocks.sensors.ingest``)."""

import json
from datetime import UTC, datetime, timedelta

from blocks.models import Reading, ReadingRollup
from blocks.sensors.ingest import ingest
from blocks.sensors.mqtt import Counts, process
from blocks.sensors.rollups import refresh_series_hours

HOUR = timedelta(hours=1)
START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def rollup(device="roof-1", metric="power", hour=START):
    return ReadingRollup.objects.values(
        "count", "total", "minimum", "maximum", "first_value", "last_value"
    ).get(device=device, metric=metric, hour=hour)


def item(moment, value, metric="power"):
    return (metric, moment.isoformat(), value)


def test_one_batch_of_new_repeated_and_conflicting_readings(make_device):
    device, _token = make_device()
    ingest(device, [item(START + timedelta(minutes=10), 1.0), item(START + timedelta(minutes=20), 2.0)])
    outcomes = ingest(device, [
        item(START + timedelta(minutes=5), 5.0),    # new, earlier than what is stored
        item(START + timedelta(minutes=10), 1.0),   # already stored, same value
        item(START + timedelta(minutes=20), 7.0),   # already stored with another value
        item(START + timedelta(minutes=30), 3.0),   # new
    ])
    assert [outcome.status for outcome in outcomes] == ["stored", "duplicate", "refused", "stored"]
    assert outcomes[2].code == "conflict"
    assert sorted(Reading.objects.values_list("value", flat=True)) == [1.0, 2.0, 3.0, 5.0]
    assert rollup() == {
        "count": 4, "total": 11.0, "minimum": 1.0, "maximum": 5.0, "first_value": 5.0, "last_value": 3.0,
    }


def test_roll_ups_follow_readings_that_arrive_out_of_order(make_device):
    device, _token = make_device()
    ingest(device, [item(START + timedelta(minutes=30), 4.0)])
    ingest(device, [item(START + timedelta(minutes=50), 6.0), item(START + timedelta(minutes=10), 2.0)])
    ingest(device, [item(START + HOUR, 9.0)])
    assert rollup() == {
        "count": 3, "total": 12.0, "minimum": 2.0, "maximum": 6.0, "first_value": 2.0, "last_value": 6.0,
    }
    assert rollup(hour=START + HOUR)["count"] == 1


def test_readings_scattered_over_many_hours_are_all_rolled_up(make_device):
    # 400 hours with a gap between each: more runs of hours than SQLite takes parameters in one query.
    device, _token = make_device()
    moments = [START - 2 * HOUR * number for number in range(400)]
    outcomes = ingest(device, [item(moment, float(number % 50)) for number, moment in enumerate(moments)])
    assert {outcome.status for outcome in outcomes} == {"stored"}
    assert ReadingRollup.objects.filter(device="roof-1", metric="power").count() == 400
    assert rollup(hour=moments[-1]) == {
        "count": 1, "total": 49.0, "minimum": 49.0, "maximum": 49.0, "first_value": 49.0, "last_value": 49.0,
    }


def test_refreshing_hours_without_readings_stores_nothing(db):
    assert refresh_series_hours({("nothing", "power"): {START}}) == 0
    assert not ReadingRollup.objects.exists()


def test_an_mqtt_batch_stores_the_readings_of_every_device_in_it(make_device, make_initiative):
    first, first_token = make_device("roof-1")
    second, second_token = make_device("roof-2")

    def message(key, token, minutes, value):
        payload = {"token": token, "value": value, "time": (START + timedelta(minutes=minutes)).isoformat()}
        return (f"ctylab/{key}/power", json.dumps(payload).encode())

    counts = Counts()
    process([
        message("roof-1", first_token, 1, 1.0),
        message("roof-2", second_token, 1, 2.0),
        message("roof-1", first_token, 2, 3.0),
        message("roof-2", first_token, 2, 4.0),      # the other device's token
        message("roof-2", ["a", "list"], 3, 5.0),    # not a token at all
        message("roof-1", first_token, 1, 1.0),      # the same message again
    ], "ctylab", counts)
    assert (counts.received, counts.stored, counts.duplicates, counts.refused) == (6, 3, 1, 2)
    assert counts.by_reason == {"unauthorized": 2}
    assert sorted(Reading.objects.values_list("device", "value")) == [("roof-1", 1.0), ("roof-1", 3.0), ("roof-2", 2.0)]
    assert rollup("roof-1")["count"] == 2
    assert rollup("roof-2")["count"] == 1
