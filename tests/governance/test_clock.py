"""A vote closes, is anchored and is verified at its time with nobody clicking: the platform's
clock (``manage.py run_schedule``) enqueues governance's periodic tasks."""

import datetime
import io
import time

from django.core.management import call_command

from governance.models import DeploymentStatus, Proposal, ProposalStatus


def test_the_clock_closes_anchors_and_verifies_a_due_vote(make_member, make_proposal, now):
    make_member()
    proposal = make_proposal(closes_at=now + datetime.timedelta(seconds=1))
    time.sleep(1.1)
    out = io.StringIO()
    # The test settings run tasks immediately; in production the worker runs what is enqueued.
    call_command("run_schedule", "--once", stdout=out)
    assert "governance.tasks.close_due_proposals every 60 s" in out.getvalue()
    proposal = Proposal.objects.get(pk=proposal.pk)
    assert proposal.status == ProposalStatus.CLOSED
    deployment = proposal.decision.deployment
    assert deployment.status == DeploymentStatus.CONFIRMED
    assert deployment.verification.ok


def test_the_clock_leaves_open_votes_alone(make_proposal, now):
    proposal = make_proposal(closes_at=now + datetime.timedelta(days=3))
    call_command("run_schedule", "--once", stdout=io.StringIO())
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.OPEN
