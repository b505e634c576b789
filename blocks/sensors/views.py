"""HTTP ingestion: ``POST`` readings with a device token; answers and errors are JSON.

The token goes in the ``Authorization`` header, as ``Bearer <token>`` or as the password of
HTTP Basic authentication (what Sensor.Community's "Send to own API" offers; the user name
is ignored), never in the URL, which ends up in logs.

======  ==================================================================================
status  when
======  ==================================================================================
200     every reading was stored or was already stored; the body lists each reading
207     some readings were stored (or already were), others refused: see each reading
401     no token, a wrong one or a revoked one (``WWW-Authenticate: Bearer``)
400     the body is not JSON, or not of the endpoint's shape
413     the body or the batch is too large (``CTYLAB_SENSORS_MAX_BATCH`` readings)
415     the body is not ``application/json``
422     every reading was refused; nothing was stored
429     the device sent more than ``CTYLAB_SENSORS_RATE_LIMIT`` requests this minute
======  ==================================================================================
"""

import base64
import binascii
import json
import time

from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from .conf import sensor_settings
from .formats import (
    FormatError,
    batch_items,
    metric_names,
    sensor_community_items,
    things_stack_device_id,
    things_stack_items,
)
from .ingest import DUPLICATE, REFUSED, STORED, ingest
from .tokens import device_for_token


def error(status, code, message, **headers):
    response = JsonResponse({"error": {"code": code, "message": str(message)}}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def request_token(request):
    header = request.headers.get("Authorization", "")
    scheme, _sep, credentials = header.partition(" ")
    if scheme.lower() == "bearer":
        return credentials.strip()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(credentials.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return ""
        return decoded.partition(":")[2]
    return ""


def over_rate_limit(device):
    """Count this request against the device's minute; the seconds to wait if over, else 0."""
    limit = sensor_settings.RATE_LIMIT
    if not limit:
        return 0
    now = time.time()
    key = f"ctylab:sensors:rate:{device.pk}:{int(now // 60)}"
    cache.add(key, 0, timeout=90)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=90)
        count = 1
    return int(60 - now % 60) + 1 if count > limit else 0


def ingestion_view(handler):
    """Authenticate, rate-limit and parse the JSON body; ``handler(request, device, body)``."""

    @csrf_exempt
    def view(request):
        if request.method != "POST":
            response = error(405, "method_not_allowed", _("Send readings with POST."))
            response["Allow"] = "POST"
            return response
        device = device_for_token(request_token(request))
        if device is None:
            return error(
                401, "unauthorized", _("A valid device token is needed (Authorization: Bearer <token>)."),
                WWW_Authenticate='Bearer realm="ctylab-sensors"',
            )
        wait = over_rate_limit(device)
        if wait:
            return error(429, "rate_limited", _("Too many requests for this device; try again later."), Retry_After=str(wait))
        if request.content_type != "application/json":
            return error(415, "unsupported_media_type", _("Send JSON (Content-Type: application/json)."))
        try:
            body = json.loads(request.body)
        except RequestDataTooBig:
            return error(413, "too_large", _("The request body is too large."))
        except (ValueError, RecursionError):
            return error(400, "not_json", _("The body is not valid JSON."))
        try:
            return handler(request, device, body)
        except FormatError as refusal:
            return error(400, "bad_format", refusal)

    return view


def answer(device, outcomes):
    counts = {status: sum(1 for o in outcomes if o.status == status) for status in (STORED, DUPLICATE, REFUSED)}
    if counts[REFUSED] and counts[REFUSED] == len(outcomes):
        status = 422
    elif counts[REFUSED]:
        status = 207
    else:
        status = 200
    return JsonResponse(
        {
            "device": device.key,
            "stored": counts[STORED],
            "duplicates": counts[DUPLICATE],
            "refused": counts[REFUSED],
            "readings": [outcome.as_json() for outcome in outcomes],
        },
        status=status,
    )


def too_large(items):
    if len(items) > sensor_settings.MAX_BATCH:
        return error(
            413, "too_many_readings",
            _("At most %(limit)s readings per request; send smaller batches.") % {"limit": sensor_settings.MAX_BATCH},
        )
    return None


@ingestion_view
def readings(request, device, body):
    items = batch_items(body)
    return too_large(items) or answer(device, ingest(device, items))


@ingestion_view
def sensor_community(request, device, body):
    items = sensor_community_items(body, metric_names(device), timezone.now())
    return too_large(items) or answer(device, ingest(device, items))


@ingestion_view
def things_stack(request, device, body):
    """An uplink goes to the token's device, or to the initiative's device named in the uplink.

    One webhook serves a whole The Things Stack application, so a token of one of the
    initiative's devices lets it deliver the uplinks of the initiative's other devices (matched
    by ``end_device_ids.device_id`` = the device's key), never those of another initiative.
    """
    device_id = things_stack_device_id(body)
    if device_id and device_id != device.key:
        target = device.initiative.sensor_devices.filter(key=device_id).exclude(token_hash="").first()
        if target is None:
            return error(
                403, "unknown_device",
                _("%(device)s is not a device of this initiative.") % {"device": device_id},
            )
        device = target
    items = things_stack_items(body, metric_names(device))
    return too_large(items) or answer(device, ingest(device, items))
