"""Admin wiring of blocks: pages whose cards stand for something running are kept; sensor devices."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from wagtail import hooks

from .lifecycle import DELETE, UNPUBLISH, refusals
from .lifecycle import HOOK_NAME as LIFECYCLE_HOOK_NAME


def _refuse(request, page, action):
    found = refusals(page.specific, action)
    if not found:
        return None
    for message in found:
        messages.error(request, message)
    return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))


@hooks.register("before_unpublish_page")
def keep_running_cards_published(request, page):
    return _refuse(request, page, UNPUBLISH)


@hooks.register("before_delete_page")
def keep_running_cards(request, page):
    return _refuse(request, page, DELETE)


@hooks.register("register_admin_viewset")
def register_device_viewset():
    from wagtail.permissions import register_permission_policy

    from .models import Device
    from .sensors.admin import DevicePermissionPolicy, DeviceViewSet

    register_permission_policy(Device, DevicePermissionPolicy(), exact_class=True)
    return DeviceViewSet("sensor_devices")


@hooks.register(LIFECYCLE_HOOK_NAME)
def sensor_lifecycle():
    """Sensor cards show only what is known for their page (blocks.sensors.choices)."""
    from .sensors.choices import SensorLifecycle

    return SensorLifecycle()
