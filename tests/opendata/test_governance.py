"""Decisions, deployments and the governance log as open data: enough to check them."""

import datetime
import hashlib
import json

import pytest

from governance import services
from governance.hashing import keccak_hex
from governance.models import ProposalKind, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(make_proposal, make_member, now):
    earlier = now - datetime.timedelta(hours=2)
    # Members join (at the real time) before the proposal: joining runs the clock, which
    # closes a proposal whose closing time has passed.
    members = [make_member() for _ in range(3)]
    proposal = make_proposal(at=earlier, kind=ProposalKind.OPTIONS, options=["Lime", "Oak"], title="Which trees")
    for member, choice in zip(members, (1, 1, 0), strict=True):
        services.cast_ballot(proposal, member, choice, now=earlier)
    return services.close_proposal(proposal, now=now)


def test_a_decision_with_its_record_hash_and_deployment(client, initiative, closed):
    data = client.get(f"/api/v2/initiatives/{initiative.pk}/decisions/").json()
    assert data["meta"]["total_count"] == 1
    decision = data["items"][0]
    assert decision["title"] == "Which trees" and decision["tally"] == [1, 2]
    assert decision["passed"] is True and decision["winning_option"] == 1
    assert decision["rule"] == "simple" and decision["ballot_count"] == 3
    # Anyone can recompute the hash that the contract holds from the published text.
    assert keccak_hex(decision["record_json"].encode()) == decision["record_hash"] == closed.record_hash
    assert decision["receipts_root"] == closed.receipts_root
    assert decision["deployment"]["status"] == "waiting"
    assert decision["deployment"]["contract_address"] is None

    deployment = services.anchor(closed.deployment.pk)
    services.record_verifications()
    decision = client.get(f"/api/v2/decisions/{closed.proposal.uuid}/").json()
    chain = decision["deployment"]
    assert chain["status"] == "confirmed"
    assert (chain["tx_hash"], chain["contract_address"], chain["block_number"], chain["chain_id"]) == (
        deployment.tx_hash, deployment.contract_address, deployment.block_number, deployment.chain_id
    )
    assert chain["verification"]["ok"] is True and chain["verification"]["mismatches"] == []


def test_open_proposals_have_no_decision_and_no_tally(client, initiative, make_proposal):
    proposal = make_proposal()
    assert client.get(f"/api/v2/decisions/{proposal.uuid}/").status_code == 404
    assert client.get("/api/v2/decisions/").json()["items"] == []


def sha256_of_canonical(value):
    return hashlib.sha256(json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode())


def test_every_entry_of_the_log_is_recomputed_and_public_payloads_checked(client, initiative, closed):
    data = client.get(f"/api/v2/initiatives/{initiative.pk}/governance-log/?limit=100").json()
    entries = data["items"]
    assert data["head"] == entries[-1]["hash"] and data["meta"]["total_count"] == len(entries)
    previous = data["genesis"]
    checked_payloads = 0
    for entry in entries:
        assert entry["prev_hash"] == previous
        previous = entry["hash"]
        body = {
            "initiative": initiative.pk, "seq": entry["seq"], "kind": entry["kind"],
            "payload_digest": entry["payload_digest"], "at": entry["at"], "prev": entry["prev_hash"],
        }
        # Every entry, withheld payload or not.
        assert sha256_of_canonical(body).hexdigest() == entry["hash"]
        if entry["payload_withheld"]:
            assert entry["payload"] is None and entry["salt"] is None
            continue
        canonical = json.dumps(entry["payload"], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        digest = hashlib.sha256(bytes.fromhex(entry["salt"]) + canonical.encode()).hexdigest()
        assert digest == entry["payload_digest"]
        checked_payloads += 1
    assert checked_payloads >= 1  # the closing, closed by the clock, names no one
    # Who joined is the members' own business (they choose who sees it): even the kind is
    # inside the withheld payload.
    assert not [entry for entry in entries if entry["kind"].startswith("member.")]
    joined = [entry for entry in entries if entry["kind"] == "withheld"]
    assert joined and all(entry["payload"] is None and entry["salt"] is None for entry in joined)


def test_the_decision_contract_is_published(client, db):
    data = client.get("/api/v2/decision-contract/").json()
    assert {item.get("name") for item in data["abi"]} >= {"decision_hash", "receipts_root", "tally"}
    assert data["bytecode_runtime"].startswith("0x")


def test_decisions_cost_the_same_queries_for_one_or_many(client, initiative, make_proposal, make_member, now):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v2/decisions/?limit=100").status_code == 200
        return len(captured)

    earlier = now - datetime.timedelta(hours=2)
    member = make_member(Role.PARTICIPANT)
    for number in range(4):
        proposal = make_proposal(at=earlier, title=f"P{number}")
        services.cast_ballot(proposal, member, 0, now=earlier)
        services.close_proposal(proposal, now=now)
        if number == 0:
            queries()
            one = queries()
    assert queries() == one


def test_a_decision_carries_its_follow_up_without_who_posted_it(client, initiative, closed, frontrunner):
    frontrunner.first_name, frontrunner.last_name = "Fenna", "Voorloper"
    frontrunner.email = "fenna@example.org"
    frontrunner.save()
    services.post_update(
        closed, frontrunner, status="in_progress", date="2026-06-01", text="Trees ordered.",
        link="https://example.org/order",
    )
    services.post_update(closed, frontrunner, status="done", date="2026-06-20", text="Planted.")
    response = client.get(f"/api/v2/decisions/{closed.proposal.uuid}/")
    follow_up = response.json()["follow_up"]
    assert [(item["status"], item["date"], item["text"], item["link"]) for item in follow_up] == [
        ("in_progress", "2026-06-01", "Trees ordered.", "https://example.org/order"),
        ("done", "2026-06-20", "Planted.", None),
    ]
    assert follow_up[0]["status_label"] == "In progress" and follow_up[0]["posted_at"]
    text = response.content.decode()
    for private in ("Fenna", "Voorloper", "fenna@example.org"):
        assert private not in text, private


def test_a_deployment_says_how_many_confirmations_it_needs_and_its_reorgs(client, closed, settings):
    settings.GOVERNANCE_CONFIRMATIONS = 3
    chain = client.get(f"/api/v2/decisions/{closed.proposal.uuid}/").json()["deployment"]
    assert (chain["confirmations_required"], chain["confirmed"], chain["reorgs"]) == (3, False, 0)
    deployment = closed.deployment
    deployment.reorgs = 2
    deployment.save(update_fields=["reorgs"])
    settings.GOVERNANCE_CONFIRMATIONS = 1
    services.anchor(deployment.pk)
    chain = client.get(f"/api/v2/decisions/{closed.proposal.uuid}/").json()["deployment"]
    assert (chain["confirmations_required"], chain["confirmed"], chain["reorgs"]) == (1, True, 2)
    assert chain["status"] == "confirmed" and chain["contract_address"]


def test_decisions_cost_the_same_queries_for_few_or_many_updates(
    client, initiative, closed, frontrunner, make_proposal, make_member, now
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v2/decisions/?limit=100").status_code == 200
        return len(captured)

    services.post_update(closed, frontrunner, status="planned", date="2026-06-01", text="Soon.")
    queries()
    one = queries()
    for day in range(2, 8):
        services.post_update(closed, frontrunner, status="in_progress", date=f"2026-06-0{day}", text="More.")
    earlier = now - datetime.timedelta(hours=2)
    voter = make_member()
    other = make_proposal(at=earlier, title="Another")
    services.cast_ballot(other, voter, 0, now=earlier)
    services.post_update(services.close_proposal(other, now=now), frontrunner, status="done", date="2026-06-09", text="Done.")
    assert queries() == one
    assert len(client.get(f"/api/v2/decisions/{closed.proposal.uuid}/").json()["follow_up"]) == 7


def test_the_log_costs_the_same_queries_for_few_or_many_entries(client, initiative, make_member, make_proposal):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/api/v2/initiatives/{initiative.pk}/governance-log/?limit=100").status_code == 200
        return len(captured)

    make_proposal()
    queries()
    few = queries()
    for _ in range(10):
        make_member()
        make_proposal(open=False)
    assert queries() == few
