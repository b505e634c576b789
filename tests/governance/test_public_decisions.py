"""The public decisions page and the receipt check: what anyone needs to verify a decision."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from governance import merkle, services
from governance.backends import get_backend
from governance.hashing import canonical_json, keccak_hex
from governance.models import ProposalKind

OPTIONS = ["Lime trees", "Oaks"]


@pytest.fixture
def closed(make_proposal, make_member, now):
    """A vote with three ballots, closed now; returns (decision, receipts)."""
    earlier = now - datetime.timedelta(hours=2)
    voters = [make_member() for _ in range(3)]  # members before voting closed
    proposal = make_proposal(at=earlier, kind=ProposalKind.OPTIONS, options=OPTIONS, title="Which trees")
    receipts = [services.cast_ballot(proposal, voter, choice, now=earlier) for voter, choice in zip(voters, (1, 1, 0), strict=True)]
    return services.close_proposal(proposal, now=now), receipts


def decisions_page(client, initiative):
    response = client.get(reverse("governance:decisions", args=[initiative.pk]))
    assert response.status_code == 200
    return response.text


def test_a_decision_waiting_for_the_chain_says_so(client, initiative, closed):
    decision, _receipts = closed
    html = decisions_page(client, initiative)
    assert "<h1>Decisions of Bloemkwartier</h1>" in html
    assert f'id="proposal-{decision.proposal.uuid}"' in html
    assert "Which trees" in html and "Tally: 3 votes" in html
    assert re.search(r'<th scope="row">Oaks</th><td>2</td>', html)
    assert "Simple majority" in html and "<dd>Passed</dd>" in html
    assert "3 of 4 eligible members voted" in html  # the frontrunner did not vote
    assert decision.record_hash in html and decision.receipts_root in html
    assert "Waiting for the chain" in html and "waiting for the chain: it is recorded here" in html
    assert "Contract address" not in html


def test_an_anchored_decision_shows_everything_needed_to_check_it(client, initiative, closed):
    decision, _receipts = closed
    deployment = services.anchor(decision.deployment.pk)
    html = decisions_page(client, initiative)
    assert "Recorded on the chain" in html
    for value in (deployment.tx_hash, deployment.contract_address, str(deployment.block_number)):
        assert value in html
    assert f"<code>{get_backend().chain_id()}</code>" in html
    # The record is shown as the exact text that was hashed.
    shown = re.search(r"<pre>(.*?)</pre>", html, re.S).group(1)
    from html import unescape

    assert keccak_hex(unescape(shown).encode()) == decision.record_hash
    assert unescape(shown).encode() == canonical_json(decision.record)
    assert services.verify_deployment(deployment).ok


def test_decisions_page_without_decisions_and_of_unknown_initiatives(client, initiative, make_proposal):
    make_proposal(title="Still open")
    html = decisions_page(client, initiative)
    assert "No vote of this initiative has closed yet." in html and "Still open" in html
    assert client.get(reverse("governance:decisions", args=[999999])).status_code == 404


def test_a_voter_checks_their_receipt_without_revealing_the_choice(client, initiative, closed):
    decision, receipts = closed
    services.anchor(decision.deployment.pk)
    url = reverse("governance:receipt", args=[decision.proposal.uuid])
    form = client.get(url)
    assert form.status_code == 200 and '<label for="receipt-code">Receipt code</label>' in form.text
    response = client.post(url, {"code": receipts[0].code.lower().replace("-", " ")})
    html = response.text
    assert response.status_code == 200
    assert "Your ballot is included in the result." in html
    assert receipts[0].leaf in html and decision.receipts_root in html
    proof = re.findall(r"<li><code>(0x[0-9a-f]{64})</code></li>", html)
    assert proof and merkle.verify(receipts[0].leaf, proof, decision.receipts_root)
    decision.deployment.refresh_from_db()
    assert decision.deployment.contract_address in html
    # Never the choice, never the code itself.
    result = re.search(r'<div id="receipt-result".*?</div>', html, re.S).group(0)
    assert not any(label in result for label in OPTIONS)
    assert receipts[0].code not in html


@pytest.mark.parametrize("code", ["", "NOT-A-REAL-CODE", "x" * 500])
def test_bad_receipt_codes_get_a_clear_message(client, initiative, closed, code):
    decision, _receipts = closed
    response = client.post(reverse("governance:receipt", args=[decision.proposal.uuid]), {"code": code})
    assert response.status_code == 200
    assert 'aria-live="polite"' in response.text
    expected = "Enter the receipt code" if not code else "No ballot on this proposal has this receipt code"
    assert expected in response.text and 'aria-invalid="true"' in response.text


def test_a_receipt_before_closing_is_recorded_but_not_yet_provable(client, make_proposal, make_member):
    proposal = make_proposal()
    receipt = services.cast_ballot(proposal, make_member(), 0)
    response = client.post(reverse("governance:receipt", args=[proposal.uuid]), {"code": receipt.code})
    assert "Your ballot is recorded" in response.text and receipt.leaf not in response.text


def test_the_receipt_check_needs_csrf(initiative, closed):
    decision, receipts = closed
    strict = Client(enforce_csrf_checks=True)
    url = reverse("governance:receipt", args=[decision.proposal.uuid])
    assert strict.post(url, {"code": receipts[0].code}).status_code == 403
