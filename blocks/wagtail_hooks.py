from wagtail import hooks


@hooks.register("register_admin_viewset")
def register_device_viewset():
    from wagtail.permissions import register_permission_policy

    from .models import Device
    from .sensors.admin import DevicePermissionPolicy, DeviceViewSet

    register_permission_policy(Device, DevicePermissionPolicy(), exact_class=True)
    return DeviceViewSet("sensor_devices")
