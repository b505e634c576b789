"""Admin wiring of blocks: pages whose cards stand for something running are kept; sensor devices.

A page with a running vote (or whose descendants have one) stays published, in place and
undeleted, whichever admin path is taken: the page's own unpublish, delete and move views
and Wagtail's bulk actions. Scheduled expiry is held by ``initiatives``' ``publish_scheduled``.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from wagtail import hooks

from .lifecycle import DELETE, MOVE, UNPUBLISH, refusals
from .lifecycle import HOOK_NAME as LIFECYCLE_HOOK_NAME

# Wagtail's bulk action types that take pages off the site or elsewhere, and whether they
# reach the descendants of the selected pages (unpublish: only when the editor ticks it).
BULK_ACTIONS = {"unpublish": UNPUBLISH, "delete": DELETE, "move": MOVE}


def _refuse(request, pages, action, with_descendants, back):
    found = refusals(pages, action, with_descendants=with_descendants)
    if not found:
        return None
    for message in found:
        messages.error(request, message)
    return redirect(back)


def _edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


@hooks.register("before_unpublish_page")
def keep_running_cards_published(request, page):
    # Wagtail's unpublish form has "unpublish the descendants too"; the refusal covers them.
    with_descendants = bool(request.POST.get("include_descendants"))
    return _refuse(request, [page], UNPUBLISH, with_descendants, _edit_url(page))


@hooks.register("before_delete_page")
def keep_running_cards(request, page):
    # Deleting a page deletes its whole subtree.
    return _refuse(request, [page], DELETE, True, _edit_url(page))


@hooks.register("before_move_page", order=100)
def keep_running_cards_in_place(request, page, destination):
    # Members vote at the page's address on its site; moving takes the subtree along. After
    # the permission hooks (order 0): the refusal names the votes, so only for who may move.
    if not page.permissions_for_user(request.user).can_move_to(destination):
        return None
    return _refuse(request, [page], MOVE, True, _edit_url(page))


@hooks.register("before_bulk_action")
def keep_running_cards_in_bulk(request, action_type, objects, action):
    from wagtail.admin.views.pages.bulk_actions.page_bulk_action import PageBulkAction

    if not isinstance(action, PageBulkAction) or action_type not in BULK_ACTIONS:
        return None
    kind = BULK_ACTIONS[action_type]
    if kind == UNPUBLISH:
        with_descendants = bool(action.cleaned_form.cleaned_data.get("include_descendants"))
    else:
        with_descendants = True
    return _refuse(request, objects, kind, with_descendants, action.next_url)


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
