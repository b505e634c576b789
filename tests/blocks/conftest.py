"""Fixtures for the sensor tests: a registered device with its token."""

import pytest

from blocks.models import Device, Metric
from blocks.sensors.tokens import issue_token


@pytest.fixture
def make_device(make_initiative):
    """make_device(key="roof-1", metrics=[dict(key=..., minimum=..., maximum=...)]) -> (device, token)."""

    def make(key="roof-1", initiative=None, metrics=None, name="Roof meter"):
        initiative = initiative or make_initiative(title="Solar roof")
        device = Device(initiative=initiative, key=key, name=name)
        device.save()
        for index, spec in enumerate(
            metrics
            or [
                {"key": "power", "name": "Power", "unit": "kW", "minimum": 0, "maximum": 50},
                {"key": "energy", "name": "Energy", "unit": "kWh", "minimum": 0, "maximum": 1e7, "cumulative": True},
            ]
        ):
            Metric.objects.create(device=device, sort_order=index, **spec)
        return device, issue_token(device)

    return make
