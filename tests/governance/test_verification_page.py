"""Verification kept for the public: the command and task re-read each deployment from the
chain and store the outcome; the decisions page shows it without ever asking the chain."""

import datetime
import html
import re
import socket
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance import services, tasks
from governance.backends import get_backend
from governance.models import (
    CHAIN_UNREACHABLE,
    Decision,
    Deployment,
    DeploymentStatus,
    DeploymentVerification,
)

from .test_anchoring import _Sink, closed_port


@pytest.fixture
def close_vote(make_proposal, make_member, now):
    """close_vote(title) -> an anchored decision with two ballots (for, against)."""

    def close(title="Plant lime trees", anchor=True):
        earlier = now - datetime.timedelta(hours=2)
        voters = [make_member() for _ in range(2)]  # members before voting closed
        proposal = make_proposal(at=earlier, title=title)
        for voter, choice in zip(voters, (0, 1), strict=True):
            services.cast_ballot(proposal, voter, choice, now=earlier)
        decision = services.close_proposal(proposal, now=now)
        if anchor:
            services.anchor(decision.deployment.pk)
        decision.deployment.refresh_from_db()
        return decision

    return close


def verify(expect_ok=True):
    out = _Sink()
    if expect_ok:
        call_command("verify_deployments", stdout=out)
    else:
        with pytest.raises(CommandError, match="do not match"):
            call_command("verify_deployments", stdout=out)
    return out.text


def decisions_html(client, initiative, **headers):
    response = client.get(reverse("governance:decisions", args=[initiative.pk]), **headers)
    assert response.status_code == 200
    return response.text


def check_section(page_html, decision):
    """The "Checked against the chain" part of one decision's article."""
    article = re.search(
        rf'<article[^>]*id="proposal-{decision.proposal.uuid}".*?</article>', page_html, re.S
    ).group(0)
    return re.search(r'<section class="verification".*?</section>', article, re.S).group(0)


def unreachable_chain(settings):
    settings.GOVERNANCE_CHAIN = {
        "BACKEND": "governance.backends.jsonrpc.JsonRpcBackend",
        "OPTIONS": {"URL": f"http://127.0.0.1:{closed_port()}", "TIMEOUT": 2},
    }


def test_before_any_check_the_page_says_not_verified_yet(client, initiative, close_vote):
    decision = close_vote()
    section = check_section(decisions_html(client, initiative), decision)
    assert f'<h4 id="proposal-{decision.proposal.uuid}-check-heading">Checked against the chain</h4>' in section
    assert 'data-verification="none"' in section and "Not verified yet." in section


def test_the_command_stores_a_matching_result_and_the_page_shows_it(client, initiative, close_vote):
    decision = close_vote()
    deployment = decision.deployment
    assert "All 1 deployment(s) match the chain." in verify()

    stored = DeploymentVerification.objects.get(deployment=deployment)
    assert stored.ok and stored.chain_reached and stored.mismatches == []
    assert stored.chain_id == get_backend().chain_id() == deployment.chain_id
    assert stored.block_number == deployment.block_number

    section = check_section(decisions_html(client, initiative), decision)
    assert 'data-verification="ok"' in section and "<strong>Matches.</strong>" in section
    when = re.search(r'Verified against the chain at <time datetime="([^"]+)">[^<]+</time>', section)
    assert datetime.datetime.fromisoformat(when.group(1)) == stored.checked_at
    assert "mismatch" not in section.lower()


def test_tampering_is_stored_as_a_flagged_mismatch_and_shown(client, initiative, close_vote):
    decision = close_vote()
    verify()
    Decision.objects.filter(pk=decision.pk).update(tally=[2, 0, 0])  # someone edits the database

    text = verify(expect_ok=False)
    assert f"BAD decision {decision.pk}" in text
    stored = DeploymentVerification.objects.get(deployment=decision.deployment)
    assert not stored.ok and stored.chain_reached
    assert "the decision's tally differs from its record" in stored.mismatches
    assert "tally: chain has [1, 1, 0], database has [2, 0, 0]" in stored.mismatches

    section = check_section(decisions_html(client, initiative), decision)
    assert 'data-verification="mismatch"' in section
    assert "<strong>Warning: mismatch found.</strong>" in section  # in words, not only in colour
    assert f"found these {len(stored.mismatches)} problems:" in section
    items = [html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", section)]
    assert items == stored.mismatches
    assert '<ul class="mismatches" lang="en">' in section
    assert "Matches." not in section

    # Repaired and checked again: the one stored row is updated, not added to.
    Decision.objects.filter(pk=decision.pk).update(tally=[1, 1, 0])
    verify()
    assert DeploymentVerification.objects.get().ok
    assert 'data-verification="ok"' in check_section(decisions_html(client, initiative), decision)


def test_an_unreachable_chain_is_stored_as_not_verified(client, initiative, close_vote, settings):
    decision = close_vote()
    verify()
    unreachable_chain(settings)

    text = verify(expect_ok=False)
    assert f"    - {CHAIN_UNREACHABLE}" in text and "ChainUnavailable" not in text
    assert "Connection" in text  # the operator sees why
    stored = DeploymentVerification.objects.get(deployment=decision.deployment)
    assert not stored.ok and not stored.chain_reached
    assert stored.mismatches == [CHAIN_UNREACHABLE] and stored.chain_id is None

    section = check_section(decisions_html(client, initiative), decision)
    assert 'data-verification="unreachable"' in section and "<strong>Not verified:</strong>" in section
    assert "could not reach the chain" in section
    # Not a mismatch, and nothing about the node (its URL may hold a key) on the public page.
    assert 'data-verification="mismatch"' not in section and "127.0.0.1" not in section


def test_an_unreachable_chain_does_not_hide_what_the_database_shows(initiative, close_vote, settings):
    decision = close_vote()
    Decision.objects.filter(pk=decision.pk).update(passed=True)
    unreachable_chain(settings)
    [check] = services.record_verifications()
    stored = DeploymentVerification.objects.get()
    assert not check.chain_reached
    assert stored.mismatches == ["the decision's passed differs from its record", CHAIN_UNREACHABLE]
    assert stored.differences == ["the decision's passed differs from its record"]


class CountingNode:
    """A TCP listener standing for the chain node: counts every connection made to it."""

    def __init__(self):
        self.connections = 0
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                client, _address = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            client.close()

    def close(self):
        self.sock.close()


@pytest.fixture
def counting_node():
    node = CountingNode()
    yield node
    node.close()


def test_the_page_never_contacts_the_chain(client, initiative, close_vote, settings, counting_node):
    decision = close_vote()
    verify()
    settings.GOVERNANCE_CHAIN = {
        "BACKEND": "governance.backends.jsonrpc.JsonRpcBackend",
        "OPTIONS": {"URL": f"http://127.0.0.1:{counting_node.port}", "TIMEOUT": 2},
    }

    page = decisions_html(client, initiative)
    assert 'data-verification="ok"' in check_section(page, decision)
    assert counting_node.connections == 0
    # The counter works: verifying does talk to the configured node.
    verify(expect_ok=False)
    assert counting_node.connections > 0


def test_the_page_costs_the_same_queries_for_one_or_many_decisions(client, initiative, close_vote):
    close_vote("First")
    verify()
    url = reverse("governance:decisions", args=[initiative.pk])
    client.get(url)  # warm the site and locale caches
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    close_vote("Second")
    close_vote("Third", anchor=False)  # waiting for the chain, never verified
    verify()
    with CaptureQueriesContext(connection) as three:
        response = client.get(url)
    assert response.text.count('data-verification="ok"') == 2
    assert response.text.count('data-verification="none"') == 1
    assert len(three) == len(one), [query["sql"] for query in three.captured_queries]


def test_the_scheduled_task_stores_results(initiative, close_vote):
    first, second = close_vote("First"), close_vote("Second")
    Decision.objects.filter(pk=second.pk).update(passed=True)
    result = tasks.verify_anchored_decisions.enqueue()
    assert result.return_value == [second.pk]
    stored = {row.deployment.decision_id: row for row in DeploymentVerification.objects.select_related("deployment")}
    assert stored[first.pk].ok and not stored[second.pk].ok


def test_a_closed_vote_is_anchored_and_verified_by_its_task(
    make_proposal, now, django_capture_on_commit_callbacks
):
    proposal = make_proposal(at=now - datetime.timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.close_proposal(proposal, now=now)
    deployment = Deployment.objects.get(decision=decision)
    assert deployment.status == DeploymentStatus.CONFIRMED
    assert deployment.verification.ok


def test_a_decision_waiting_for_the_chain_is_not_shown_as_checked(client, initiative, close_vote):
    decision = close_vote(anchor=False)
    with pytest.raises(CommandError):
        call_command("verify_deployments", "--all", stdout=_Sink())
    assert not DeploymentVerification.objects.get().ok  # kept for operators...
    section = check_section(decisions_html(client, initiative), decision)
    assert 'data-verification="none"' in section  # ...but the page has nothing checked to show


def test_dutch_visitors_read_the_result_in_dutch(client, initiative, close_vote):
    decision = close_vote()
    verify()
    section = check_section(decisions_html(client, initiative, HTTP_ACCEPT_LANGUAGE="nl"), decision)
    assert "Vergelijking met de chain" in section and "<strong>Klopt.</strong>" in section
    assert "Vergeleken met de chain op <time datetime=" in section
