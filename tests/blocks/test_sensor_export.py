"""Frontrunners download what each producer's meter counted per month, as CSV."""

import csv
import io
from datetime import timedelta

from django.utils import timezone

from accounts.models import InitiativeEditors
from blocks.sensors.ingest import ingest
from governance.models import Membership, Role


def test_frontrunners_download_yields_per_producer_and_month(client, django_user_model, make_device):
    device, _token = make_device()
    device.producer = "=Fam. Jansen"
    device.save()
    now = timezone.now()
    ingest(device, [("energy", (now - timedelta(days=1)).isoformat(), 10.0), ("energy", (now - timedelta(minutes=5)).isoformat(), 17.5)])
    page = device.initiative
    editor = django_user_model.objects.create_user("editor", "e@example.org", "pw")
    editor.groups.add(InitiativeEditors.objects.get(initiative=page).group)
    client.force_login(editor)
    url = f"/admin/sensor_devices/yields/{page.pk}.csv"
    refused = client.get(url)  # an editor, not a frontrunner: Wagtail sends them to the dashboard
    assert refused.status_code == 302 and not refused["Content-Type"].startswith("text/csv")
    assert "(CSV)" not in client.get("/admin/sensor_devices/").text
    Membership.objects.create(initiative_id=page.pk, user=editor, role=Role.FRONTRUNNER)
    assert "Yields of Solar roof (CSV)" in client.get("/admin/sensor_devices/").text
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["producer", "device", "metric", "unit", "month", "yield"]
    assert len(rows) == 1 + 12
    assert rows[1][:4] == ["'=Fam. Jansen", "roof-1", "energy", "kWh"]  # no formula for spreadsheets
    assert rows[-1][4] == f"{timezone.localdate(now):%Y-%m}"
    assert sum(float(row[-1]) for row in rows[1:]) == 7.5
