"""Editors add a card or a preset from the catalogue: it lands in a draft with its contract,
and once published visitors see the contract's terms and the progress toward its goals."""

import datetime
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from blocks.models import Reading
from catalogue.models import CardContract, CardPreset
from tests.conftest import card

from .conftest import revision_cards, stored_cards_json, switch

HOSTILE = '<script>alert("x")</script>'


def public_html(client, page):
    response = client.get(page.url_path.replace("/ctylab-home", "", 1))
    assert response.status_code == 200
    return response.text


def terms(*items):
    return [{"type": kind, "value": value} for kind, value in items]


def participants(label, target):
    return ("participants_goal", {"label": label, "target": target})


def amount(label, target, unit=""):
    return ("amount_goal", {"label": label, "target": str(target), "unit": unit})


def deadline(label, date=None, days=None):
    return ("deadline_goal", {"label": label, "date": date.isoformat() if date else None, "days_after_adding": days})


def resource(what, how_much=""):
    return ("resource", {"what": what, "amount": how_much})


def compensation(what, details=""):
    return ("compensation", {"what": what, "details": details})


@pytest.fixture
def street_party(catalogue):
    election = catalogue["election"]
    election.default_values = {"description": "Vote before the party."}
    election.save()
    return CardPreset.objects.create(
        card_type=election,
        name="Street party poll",
        description="Let the street pick the date of the party.",
        values={
            "title": "Street party",
            "question": "Which date?",
            "options": [{"label": "Sat 14 June", "votes": None}, {"label": "Sun 15 June", "votes": None}],
            "opens_at": "2030-06-01T09:00:00+02:00",
            "closes_at": "2030-06-08T21:00:00+02:00",
        },
        contract=terms(
            participants("Households that vote", 40),
            deadline("Date chosen", days=10),
            resource("Tables and chairs", "20 of each"),
            compensation("Free lemonade", "For every helper"),
        ),
    )


def add(client, page, **what):
    return client.post(reverse("catalogue:add"), {"page": page.pk, **what})


def test_editor_adds_a_preset_as_a_draft_with_its_contract(client, editor, editor_client, make_initiative, street_party):
    page = make_initiative(cards=[card("map", {"title": "Where", "places": [], "geojson": ""}, block_id="map-1")])
    published = stored_cards_json(page)

    response = add(editor_client, page, preset=street_party.pk)

    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert stored_cards_json(page) == published  # visitors see nothing until it is published
    draft = revision_cards(page)
    assert [item["type"] for item in draft] == ["map", "election"]
    value = draft[1]["value"]
    assert value["question"] == "Which date?" and value["title"] == "Street party"
    assert value["description"] == "Vote before the party."  # the card type's default
    assert [option["value"]["label"] for option in value["options"]] == ["Sat 14 June", "Sun 15 June"]

    contract = CardContract.objects.get(page=page, block_id=draft[1]["id"])
    goals = {term.block_type: term.value for term in contract.terms}
    assert goals["deadline_goal"]["date"] == timezone.localdate() + timedelta(days=10)
    assert goals["deadline_goal"]["days_after_adding"] is None

    entry = PageLogEntry.objects.get(page=page, action="catalogue.add_card")
    assert entry.user == editor and entry.data["preset"] == "Street party poll"
    assert entry.message == "Added the preset “Street party poll” (Election card) from the catalogue"

    page.refresh_from_db()
    page.get_latest_revision().publish()
    html = public_html(client, page)
    assert f'data-contract-for="{draft[1]["id"]}"' in html
    assert "Households that vote" in html and "40 participants" in html
    assert "Tables and chairs — 20 of each" in html and "Free lemonade" in html
    assert "(10 days left)" in html


def test_a_blank_card_gets_the_type_defaults_and_contract_template(editor_client, make_initiative, catalogue):
    tender = catalogue["tender"]
    tender.default_values = {"request": "Paving", "budget_max": "9000"}
    tender.contract = terms(resource("Three quotes"))
    tender.save()
    page = make_initiative(cards=[])
    assert add(editor_client, page, card_type="tender").status_code == 302
    (item,) = revision_cards(page)
    assert item["type"] == "tender"
    assert item["value"]["request"] == "Paving" and item["value"]["budget_max"] == "9000"
    assert item["value"]["status"] == "open"  # the block's own default
    assert CardContract.objects.get(block_id=item["id"]).terms[0].value["what"] == "Three quotes"


def test_hostile_rich_text_in_a_preset_is_cleaned_when_added(client, editor_client, make_initiative, catalogue):
    """A preset's news body is HTML a site admin typed into JSON; it lands in the draft cleaned."""
    preset = CardPreset.objects.create(card_type=catalogue["news"], name="Hostile news", values={"items": [
        {"headline": "Hello", "date": "2026-05-02", "body": "<scr<script>ipt>alert(1)</script><p onclick=x()>hi</p>",
         "image": None, "link": ""},
    ]})
    page = make_initiative(cards=[])
    assert add(editor_client, page, preset=preset.pk).status_code == 302
    (item,) = revision_cards(page)
    body = item["value"]["items"][0]["value"]["body"]
    assert "<script" not in body and "onclick" not in body and "hi</p>" in body
    page.refresh_from_db()
    page.get_latest_revision().publish()
    html = public_html(client, page)
    assert "Hello" in html and "<script>alert(1)" not in html


def test_a_card_without_contract_template_gets_no_contract(editor_client, make_initiative, catalogue):
    page = make_initiative(cards=[])
    assert add(editor_client, page, card_type="map").status_code == 302
    assert not CardContract.objects.exists()


def test_cards_added_one_after_another_all_land_in_the_draft(editor_client, make_initiative, catalogue, street_party):
    page = make_initiative(cards=[])
    add(editor_client, page, card_type="map")
    add(editor_client, page, preset=street_party.pk)
    add(editor_client, page, card_type="pledge")
    assert [item["type"] for item in revision_cards(page)] == ["map", "election", "pledge"]


def test_a_disabled_type_or_retired_preset_cannot_be_added(editor_client, make_initiative, catalogue, street_party):
    page = make_initiative(cards=[])
    switch("tender", enabled=False)
    response = add(editor_client, page, card_type="tender")
    assert response.status_code == 302 and response.url == reverse("catalogue:detail", args=["tender"])
    follow = editor_client.get(response.url)
    assert "New “Tender” cards cannot be added: this card type is switched off." in follow.text

    street_party.retired = True
    street_party.save()
    response = add(editor_client, page, preset=street_party.pk)
    assert "The preset “Street party poll” is retired." in editor_client.get(response.url).text
    assert revision_cards(page) == []


def test_editors_need_edit_permission_on_the_page(django_user_model, editor_client, make_initiative, home, catalogue):
    other_home = home.get_parent().add_child(instance=type(home)(title="Other platform", slug="other"))
    page = make_initiative(parent=other_home, cards=[])
    response = add(editor_client, page, card_type="map")
    assert response.status_code == 302 and response.url == reverse("catalogue:detail", args=["map"])
    assert revision_cards(page) == []
    # Pages outside the editor's reach are not even offered.
    assert f'value="{page.pk}"' not in editor_client.get(reverse("catalogue:detail", args=["map"])).text


class TestContractOnThePage:
    def test_goals_with_progress_resources_and_compensation(self, client, make_initiative, catalogue):
        today = timezone.localdate()
        page = make_initiative(cards=[card("pledge", {"title": "Bench", "cause": "A bench", "pledges": [
            {"name": "Anna", "amount": "25", "date": "2026-04-01"}, {"name": "Bob", "amount": "10", "date": "2026-04-02"}]},
            block_id="pledge-1")])
        CardContract.objects.create(page=page, block_id="pledge-1", card_type=catalogue["pledge"], terms=terms(
            amount("Raise", 100, "€"),
            participants("Neighbours", 10),
            deadline("Order the bench", date=today + timedelta(days=5)),
            deadline("Ask the council", date=today - timedelta(days=1)),
            resource("A van", "one afternoon"),
            compensation("Your name on the bench"),
        ))
        html = public_html(client, page)
        contract = html[html.index('data-contract-for="pledge-1"'):]
        assert "<strong>Raise</strong>: 100 €" in contract
        text = re.sub(r"\s+", " ", contract)
        assert "35 of 100 € so far (35%)" in text
        assert "2 of 10 so far (20%)" in text
        assert '<progress max="100" value="35" aria-hidden="true">' in contract
        assert "(5 days left)" in text and "(deadline passed)" in text
        assert "A van — one afternoon" in text and "Your name on the bench" in text

    def test_built_in_cards_measure_too(self, client, make_initiative, catalogue):
        from blocks.models import Device, Metric
        from blocks.sensors.ingest import refresh_rollups

        now = timezone.now()
        # A cumulative meter: what it produced (4 MWh since its first reading) counts toward the goal.
        Reading.objects.create(device="roof", metric="yield", measured_at=now - timedelta(hours=3), value=20.0)
        Reading.objects.create(device="roof", metric="yield", measured_at=now - timedelta(hours=1), value=24.0)
        refresh_rollups("roof", "yield", now - timedelta(hours=3), now)
        page = make_initiative(cards=[
            card("iot", {"title": "Yield", "device": "roof", "metric": "yield", "unit": "MWh"}, block_id="iot-1"),
            card("election", {"title": "Vote", "question": "?", "description": "",
                              "options": [{"label": "A", "votes": 9}, {"label": "B", "votes": 3}],
                              "opens_at": "2020-01-01T00:00:00+00:00", "closes_at": "2020-02-01T00:00:00+00:00"},
                 block_id="election-1"),
        ])
        device = Device.objects.create(initiative=page, key="roof", name="Roof")
        Metric.objects.create(device=device, key="yield", name="Yield", unit="MWh", minimum=0, maximum=1e6,
                              cumulative=True)
        CardContract.objects.create(page=page, block_id="iot-1", card_type=catalogue["iot"],
                                    terms=terms(amount("Yearly yield", 10, "MWh")))
        CardContract.objects.create(page=page, block_id="election-1", card_type=catalogue["election"],
                                    terms=terms(participants("Voters", 48)))
        text = re.sub(r"\s+", " ", public_html(client, page))
        assert "4 of 10 MWh so far (40%)" in text
        # Votes are counted from ballots only, never typed into the card: no progress from it.
        assert "12 of 48" not in text and "48 participants" in text

    def test_goals_a_card_cannot_measure_show_their_target_only(self, client, make_initiative, catalogue):
        page = make_initiative(cards=[card("map", {"title": "M", "places": [], "geojson": ""}, block_id="m")])
        CardContract.objects.create(page=page, block_id="m", card_type=catalogue["map"],
                                    terms=terms(participants("Walkers", 30)))
        html = public_html(client, page)
        assert "30 participants" in html and "<progress" not in html

    def test_contract_of_a_hidden_card_is_hidden_too(self, client, make_initiative, catalogue):
        page = make_initiative(cards=[card("map", {"title": "M", "places": [], "geojson": ""}, block_id="m")])
        CardContract.objects.create(page=page, block_id="m", card_type=catalogue["map"], terms=terms(resource("Maps")))
        switch("map", enabled=False, when_disabled="hide")
        assert "data-contract-for" not in public_html(client, page)

    def test_contract_text_is_escaped(self, client, make_initiative, catalogue):
        page = make_initiative(cards=[card("map", {"title": HOSTILE, "places": [], "geojson": ""}, block_id="m")])
        CardContract.objects.create(page=page, block_id="m", card_type=catalogue["map"], terms=terms(
            participants(HOSTILE, 3), resource(HOSTILE, HOSTILE), compensation(HOSTILE, HOSTILE)))
        html = public_html(client, page)
        assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_deadline_in_a_template_becomes_a_date_when_added():
    from catalogue.contract import materialise

    raw = terms(deadline("Done", days=3), resource("Paint"))
    assert materialise(raw, today=datetime.date(2030, 1, 30))[0]["value"] == {
        "label": "Done", "date": "2030-02-02", "days_after_adding": None}
    assert raw[0]["value"]["days_after_adding"] == 3  # the template itself is left alone


def test_quantities_read_the_visitors_way(catalogue):
    from django.utils import translation

    from catalogue.contract import ContractBlock

    block = ContractBlock()
    goals = block.to_python(terms(amount("Yield", "30000.00", "kWh"), participants("People", 1)))
    progress = [child.value.progress({"amount": 1234.5}) for child in goals]
    assert progress[0].target_text == "30,000 kWh" and progress[1].target_text == "1 participant"
    assert progress[0].progress_text == "1,234.5 of 30,000 kWh so far (4%)"
    with translation.override("nl"):
        assert goals[0].value.progress({}).target_text == "30.000 kWh"
