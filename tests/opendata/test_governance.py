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
    proposal = make_proposal(at=earlier, kind=ProposalKind.OPTIONS, options=["Lime", "Oak"], title="Which trees")
    for choice in (1, 1, 0):
        services.cast_ballot(proposal, make_member(), choice, now=earlier)
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


def test_the_log_can_be_followed_and_public_entries_recomputed(client, initiative, closed):
    data = client.get(f"/api/v2/initiatives/{initiative.pk}/governance-log/?limit=100").json()
    entries = data["items"]
    assert data["head"] == entries[-1]["hash"] and data["meta"]["total_count"] == len(entries)
    previous = data["genesis"]
    recomputed = 0
    for entry in entries:
        assert entry["prev_hash"] == previous
        previous = entry["hash"]
        if entry["payload_withheld"]:
            continue
        body = {
            "initiative": initiative.pk, "seq": entry["seq"], "kind": entry["kind"],
            "payload": entry["payload"], "at": entry["at"], "prev": entry["prev_hash"],
        }
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert hashlib.sha256(canonical.encode()).hexdigest() == entry["hash"]
        recomputed += 1
    assert recomputed >= 1  # the closing, closed by the clock, names no one
    # Who joined is the members' own business (they choose who sees it).
    joined = [entry for entry in entries if entry["kind"] == "member.joined"]
    assert joined and all(entry["payload"] is None for entry in joined)


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
