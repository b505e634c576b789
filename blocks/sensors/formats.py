"""What devices send, turned into ``(metric key, raw time, raw value)`` items for ``ingest``.

- Ctylab's own batch: ``{"readings": [{"metric": "power", "time": "2026-05-01T12:00:00+02:00",
  "value": 3.5}, …]}`` (or the bare list). Times need an offset.
- Sensor.Community firmware, "Send to own API" (``sensordatavalues``): ``{"esp8266id": "…",
  "sensordatavalues": [{"value_type": "SDS_P1", "value": "12.30"}, …]}``; the firmware sends
  no time, so the readings are stamped with the moment they arrive (to the second). Source:
  https://github.com/opendata-stuttgart/sensors-software (``airrohr-firmware``, ``sendData``).
- The Things Stack v3 uplink webhook: ``{"end_device_ids": {"device_id": "…"},
  "uplink_message": {"decoded_payload": {"temperature": 21.5, …}, "received_at": "…Z"}}``;
  every field of ``decoded_payload`` is a value, at the uplink's ``received_at``. Source:
  https://www.thethingsindustries.com/docs/the-things-stack/concepts/data-formats/#uplink-messages

A value is matched to a metric by the metric's ``source`` (the name in the message) or else
its ``key``. Each function raises :class:`FormatError` when the body is not of its shape.
"""

from django.utils.translation import gettext as _


class FormatError(ValueError):
    pass


def metric_names(device):
    """``{name in messages: metric key}`` for ``device``: its sources, then its keys."""
    names = {}
    for metric in device.metrics.all():
        names.setdefault(metric.key, metric.key)
        if metric.source:
            names[metric.source] = metric.key
    return names


def batch_items(body):
    readings = body.get("readings") if isinstance(body, dict) else body
    if not isinstance(readings, list):
        raise FormatError(_('Send a JSON list of readings, or an object with "readings": a list.'))
    items = []
    for reading in readings:
        if isinstance(reading, dict):
            items.append((reading.get("metric"), reading.get("time"), reading.get("value")))
        else:
            items.append((None, None, None))
    return items


def sensor_community_items(body, names, received_at):
    values = body.get("sensordatavalues") if isinstance(body, dict) else None
    if not isinstance(values, list):
        raise FormatError(_('A Sensor.Community message has a list "sensordatavalues".'))
    moment = received_at.replace(microsecond=0).isoformat()
    items = []
    for entry in values:
        value_type = entry.get("value_type") if isinstance(entry, dict) else None
        value = entry.get("value") if isinstance(entry, dict) else None
        items.append((names.get(value_type, value_type if isinstance(value_type, str) else None), moment, value))
    return items


def things_stack_device_id(body):
    ids = body.get("end_device_ids") if isinstance(body, dict) else None
    device_id = ids.get("device_id") if isinstance(ids, dict) else None
    return device_id if isinstance(device_id, str) else None


def things_stack_items(body, names):
    uplink = body.get("uplink_message") if isinstance(body, dict) else None
    payload = uplink.get("decoded_payload") if isinstance(uplink, dict) else None
    if not isinstance(payload, dict):
        raise FormatError(
            _('An uplink webhook has "uplink_message" with a "decoded_payload" object (set a payload formatter).')
        )
    moment = uplink.get("received_at") or body.get("received_at")
    return [(names.get(field, field), moment, value) for field, value in payload.items()]
