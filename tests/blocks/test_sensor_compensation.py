"""A meter card with a compensation per unit shows what its producer earned so far."""

import re
from datetime import timedelta

from django.utils import timezone

from blocks.sensors.ingest import ingest
from catalogue.models import CardContract, CardTypeEntry
from catalogue.services import sync_card_types
from tests.conftest import card


def test_the_producer_of_a_meter_sees_what_they_earned(client, make_initiative, make_device):
    sync_card_types()
    page = make_initiative(cards=[card("iot", {"title": "Roof", "device": "roof-1", "metric": "energy", "unit": ""}, "meter")])
    device, _token = make_device(initiative=page)
    device.producer = "Fam. Jansen"
    device.save()
    now = timezone.now()
    ingest(device, [("energy", (now - timedelta(days=3)).isoformat(), 1000.0), ("energy", (now - timedelta(hours=1)).isoformat(), 1250.5)])
    CardContract.objects.create(
        page=page, block_id="meter", card_type=CardTypeEntry.objects.get(name="iot"),
        terms=[
            {"type": "amount_goal", "value": {"label": "Yield", "target": "1000", "unit": "kWh"}},
            {"type": "compensation", "value": {"what": "Paid per kWh", "details": "", "rate": "0.12", "currency": "€"}},
        ],
    )
    html = client.get(page.url_path.replace("/ctylab-home", "", 1)).text
    text = re.sub(r"\s+", " ", html)
    assert "Fam. Jansen earned € 30.06 so far (250.5 kWh)." in text
    assert "250.5 of 1,000 kWh so far (25%)" in text
