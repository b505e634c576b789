"""Background work: closing due proposals, anchoring and verifying decisions (never in a web
request)."""

from django_tasks import task

from .services import anchoring, card_votes, member_proposals, proposals, verification


@task()
def close_due_proposals():
    """Run periodically by the clock: opens the votes of election cards whose opening time
    has passed, then closes those whose closing time has; returns the decision ids."""
    card_votes.open_due_proposals()
    return [decision.pk for decision in proposals.close_due_proposals()]


@task()
def anchor_decision(decision_id):
    """Anchor one decision right after it closed (enqueued on commit by closing)."""
    from .models import Deployment, DeploymentStatus

    deployment = Deployment.objects.filter(decision_id=decision_id).first()
    if deployment is None:
        return None
    deployment = anchoring.anchor(deployment.pk)
    if deployment.status == DeploymentStatus.CONFIRMED:
        # Check it at once, so the decisions page shows it verified without waiting a round.
        verification.record_verifications(Deployment.objects.filter(pk=deployment.pk))
    return deployment.status


@task()
def anchor_due_decisions():
    """Run periodically: retries every deployment whose back-off has passed."""
    from .models import Deployment, DeploymentStatus

    anchoring.recheck_confirmed()
    rows = anchoring.anchor_due()
    confirmed = [row.pk for row in rows if row.status == DeploymentStatus.CONFIRMED]
    if confirmed:
        verification.record_verifications(Deployment.objects.filter(pk__in=confirmed))
    return [deployment.status for deployment in rows]


@task()
def verify_anchored_decisions():
    """Run periodically: re-read every anchored decision from the chain and store the outcome
    for the decisions page; returns the ids of the decisions that do not match."""
    checks = verification.record_verifications()
    return [check.deployment.decision_id for check in checks if not check.ok and not check.other_chain]


@task()
def notify_proposer(member_proposal_id):
    """E-mail a member what became of their proposal (enqueued on commit by the decision)."""
    return member_proposals.notify_proposer(member_proposal_id)


# Enqueued by the platform's clock (``manage.py run_schedule``), in seconds.
PERIODIC_TASKS = [
    (close_due_proposals, 60),
    (anchor_due_decisions, 60),
    (verify_anchored_decisions, 3600),
]
