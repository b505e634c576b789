"""HTTP ingestion: a device posts readings with its token and is told what happened to each."""

import json
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from blocks.models import Reading, ReadingRollup
from blocks.sensors.tokens import hash_token, issue_token, revoke_token

URL = "/sensors/api/readings/"


def post(client, body, token, url=URL, content_type="application/json", **headers):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    if token is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client.post(url, data=data, content_type=content_type, **headers)


def at(minutes_ago):
    return (timezone.now() - timedelta(minutes=minutes_ago)).replace(microsecond=0).isoformat()


def test_a_batch_is_stored_and_each_reading_answered(client, make_device):
    device, token = make_device()
    response = post(client, {"readings": [
        {"metric": "power", "time": at(2), "value": 3.5},
        {"metric": "power", "time": at(1), "value": "4.25"},
    ]}, token)
    assert response.status_code == 200
    answer = response.json()
    assert (answer["stored"], answer["duplicates"], answer["refused"]) == (2, 0, 0)
    assert [reading["status"] for reading in answer["readings"]] == ["stored", "stored"]
    assert sorted(Reading.objects.filter(device="roof-1").values_list("value", flat=True)) == [3.5, 4.25]
    assert ReadingRollup.objects.filter(device="roof-1", metric="power").exists()


def test_resending_a_batch_stores_nothing_twice(client, make_device):
    device, token = make_device()
    batch = [{"metric": "power", "time": at(3), "value": 1}, {"metric": "power", "time": at(2), "value": 2}]
    post(client, batch, token)
    again = post(client, batch, token)
    assert again.status_code == 200
    assert (again.json()["stored"], again.json()["duplicates"]) == (0, 2)
    assert Reading.objects.count() == 2


def test_a_different_value_for_a_stored_moment_is_refused_and_the_stored_one_kept(client, make_device):
    device, token = make_device()
    moment = at(5)
    post(client, [{"metric": "power", "time": moment, "value": 1}], token)
    response = post(client, [{"metric": "power", "time": moment, "value": 9}], token)
    assert response.status_code == 422
    assert response.json()["readings"][0]["error"]["code"] == "conflict"
    assert list(Reading.objects.values_list("value", flat=True)) == [1.0]


BAD_READINGS = [
    ({"metric": "voltage", "time": None, "value": 1}, "unknown_metric"),
    ({"metric": "power", "time": None, "value": "NaN"}, "not_finite"),
    ({"metric": "power", "time": None, "value": 1e308}, "out_of_range"),
    ({"metric": "power", "time": None, "value": -1}, "out_of_range"),
    ({"metric": "power", "time": None, "value": True}, "not_a_number"),
    ({"metric": "power", "time": None, "value": "lots"}, "not_a_number"),
    ({"metric": "power", "time": "2026-03-01T12:00:00", "value": 1}, "no_offset"),
    # 02:30 on 29 March 2026 does not exist in Amsterdam; without an offset it is refused too.
    ({"metric": "power", "time": "2026-03-29T02:30:00", "value": 1}, "no_offset"),
    ({"metric": "power", "time": "yesterday", "value": 1}, "not_a_time"),
    ({"metric": "power", "time": "future", "value": 1}, "in_future"),
]


@pytest.mark.parametrize(("reading", "code"), BAD_READINGS, ids=[code for _r, code in BAD_READINGS])
def test_bad_readings_are_refused_one_by_one_and_the_good_ones_stored(client, make_device, reading, code):
    device, token = make_device()
    reading = dict(reading)
    if reading["time"] is None:
        reading["time"] = at(1)
    elif reading["time"] == "future":
        reading["time"] = (timezone.now() + timedelta(hours=1)).isoformat()
    response = post(client, [{"metric": "power", "time": at(2), "value": 2.0}, reading], token)
    assert response.status_code == 207
    answer = response.json()
    assert answer["readings"][0]["status"] == "stored"
    assert answer["readings"][1]["status"] == "refused"
    assert answer["readings"][1]["error"]["code"] == code
    assert answer["readings"][1]["error"]["message"]
    assert list(Reading.objects.values_list("value", flat=True)) == [2.0]


def test_nan_and_infinity_literals_in_json_are_refused_per_reading(client, make_device):
    device, token = make_device()
    body = f'[{{"metric": "power", "time": "{at(2)}", "value": NaN}}, {{"metric": "power", "time": "{at(1)}", "value": 1e400}}]'
    response = post(client, body, token)
    assert response.status_code == 422
    assert [r["error"]["code"] for r in response.json()["readings"]] == ["not_finite", "not_finite"]
    assert Reading.objects.count() == 0


@pytest.mark.parametrize("token", [None, "", "wrong-token"])
def test_no_or_wrong_token_is_401(client, make_device, token):
    make_device()
    response = post(client, [{"metric": "power", "time": at(1), "value": 1}], token)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert Reading.objects.count() == 0


def test_revoked_and_rotated_tokens_stop_working(client, make_device):
    device, token = make_device()
    new_token = issue_token(device)
    assert post(client, [{"metric": "power", "time": at(2), "value": 1}], token).status_code == 401
    assert post(client, [{"metric": "power", "time": at(2), "value": 1}], new_token).status_code == 200
    revoke_token(device)
    assert post(client, [{"metric": "power", "time": at(1), "value": 1}], new_token).status_code == 401
    assert Reading.objects.count() == 1


def test_the_token_is_stored_only_as_its_sha256(make_device):
    device, token = make_device()
    device.refresh_from_db()
    assert token not in device.token_hash
    assert device.token_hash == hash_token(token)
    assert len(device.token_hash) == 64


def test_basic_authentication_carries_the_token_as_password(client, make_device):
    import base64

    device, token = make_device()
    credentials = base64.b64encode(f"roof-1:{token}".encode()).decode()
    response = client.post(
        URL, data=json.dumps([{"metric": "power", "time": at(1), "value": 1}]),
        content_type="application/json", HTTP_AUTHORIZATION=f"Basic {credentials}",
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        ("{not json", "application/json", 400, "not_json"),
        ('{"readings": 5}', "application/json", 400, "bad_format"),
        ("device,metric\n", "text/csv", 415, "unsupported_media_type"),
    ],
)
def test_malformed_bodies_get_json_errors(client, make_device, body, content_type, status, code):
    device, token = make_device()
    response = post(client, body, token, content_type=content_type)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert Reading.objects.count() == 0


def test_get_is_405_in_json(client, db):  # db: the host check reads the Sites table once
    response = client.get(URL)
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


@override_settings(CTYLAB_SENSORS_MAX_BATCH=100)
def test_a_huge_batch_is_refused_whole(client, make_device):
    device, token = make_device()
    start = timezone.now() - timedelta(days=1)
    batch = [{"metric": "power", "time": (start + timedelta(seconds=i)).isoformat(), "value": 1} for i in range(101)]
    response = post(client, batch, token)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_many_readings"
    assert Reading.objects.count() == 0


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_over_the_upload_limit_is_413(client, make_device):
    device, token = make_device()
    response = post(client, [{"metric": "power", "time": at(1), "value": 1}] * 50, token)
    assert response.status_code == 413


@override_settings(CTYLAB_SENSORS_RATE_LIMIT=2)
def test_the_rate_limit_is_per_device(client, make_device, make_initiative):
    from django.core.cache import cache

    cache.clear()
    device, token = make_device()
    other, other_token = make_device(key="roof-2", initiative=device.initiative)
    for minutes in (3, 2):
        assert post(client, [{"metric": "power", "time": at(minutes), "value": 1}], token).status_code == 200
    limited = post(client, [{"metric": "power", "time": at(1), "value": 1}], token)
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert limited.json()["error"]["code"] == "rate_limited"
    assert post(client, [{"metric": "power", "time": at(1), "value": 1}], other_token).status_code == 200


def test_sensor_community_push_is_mapped_to_the_device_metrics(client, make_device):
    device, token = make_device(key="air-1", metrics=[
        {"key": "pm10", "name": "PM10", "unit": "µg/m³", "minimum": 0, "maximum": 1000, "source": "SDS_P1"},
        {"key": "pm25", "name": "PM2.5", "unit": "µg/m³", "minimum": 0, "maximum": 1000, "source": "SDS_P2"},
    ])
    body = {
        "esp8266id": "1234567",
        "software_version": "NRZ-2020-133",
        "sensordatavalues": [
            {"value_type": "SDS_P1", "value": "12.30"},
            {"value_type": "SDS_P2", "value": "7.10"},
            {"value_type": "signal", "value": "-71"},
        ],
    }
    response = post(client, body, token, url="/sensors/api/sensor-community/", HTTP_X_SENSOR="esp8266-1234567")
    assert response.status_code == 207
    answer = response.json()
    assert (answer["stored"], answer["refused"]) == (2, 1)
    assert answer["readings"][2]["error"]["code"] == "unknown_metric"
    assert dict(Reading.objects.values_list("metric", "value")) == {"pm10": 12.3, "pm25": 7.1}


def test_things_stack_uplink_decoded_payload_is_stored_at_its_received_time(client, make_device):
    device, token = make_device(key="lora-1", metrics=[
        {"key": "temperature", "name": "Temperature", "unit": "°C", "minimum": -40, "maximum": 60},
    ])
    received = (timezone.now() - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%S.123456789Z")
    body = {
        "end_device_ids": {"device_id": "lora-1", "application_ids": {"application_id": "park"}},
        "received_at": received,
        "uplink_message": {"f_port": 1, "decoded_payload": {"temperature": 21.5}, "received_at": received},
    }
    response = post(client, body, token, url="/sensors/api/things-stack/")
    assert response.status_code == 200
    reading = Reading.objects.get()
    assert (reading.device, reading.metric, reading.value) == ("lora-1", "temperature", 21.5)
    assert reading.measured_at.microsecond == 123456


def test_things_stack_uplink_of_another_initiatives_device_is_refused(client, make_device, make_initiative):
    device, token = make_device(key="lora-1")
    make_device(key="lora-2", initiative=make_initiative(title="Elsewhere"))
    body = {"end_device_ids": {"device_id": "lora-2"}, "uplink_message": {"decoded_payload": {"power": 1}, "received_at": at(1)}}
    response = post(client, body, token, url="/sensors/api/things-stack/")
    assert response.status_code == 403
    assert Reading.objects.count() == 0


def test_things_stack_uplink_without_decoded_payload_is_400(client, make_device):
    device, token = make_device()
    response = post(client, {"uplink_message": {"frm_payload": "AQI="}}, token, url="/sensors/api/things-stack/")
    assert response.status_code == 400
    assert "decoded_payload" in response.json()["error"]["message"]


def test_posted_readings_are_activity_of_the_initiatives_that_show_them(client, make_initiative, make_device, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    from tests.conftest import card

    cache.clear()  # pages are told at most once a minute per series
    page = make_initiative(cards=[card("iot", {"title": "", "device": "roof-1", "metric": "power", "unit": "kW"})])
    device, token = make_device(initiative=page)
    moment = (timezone.now() + timedelta(minutes=2)).replace(microsecond=0)  # within the clock skew
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, [{"metric": "power", "time": moment.isoformat(), "value": 1}], token).status_code == 200
    page.refresh_from_db()
    assert page.last_activity_at == moment
