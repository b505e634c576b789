"""Background work: closing due proposals and anchoring decisions (never in a web request)."""

from django_tasks import task

from .services import anchoring, proposals


@task()
def close_due_proposals():
    """Run periodically (cron or the worker's scheduler); returns the decision ids."""
    return [decision.pk for decision in proposals.close_due_proposals()]


@task()
def anchor_decision(decision_id):
    """Anchor one decision right after it closed (enqueued on commit by closing)."""
    from .models import Deployment

    deployment = Deployment.objects.filter(decision_id=decision_id).first()
    if deployment is None:
        return None
    return anchoring.anchor(deployment.pk).status


@task()
def anchor_due_decisions():
    """Run periodically: retries every deployment whose back-off has passed."""
    return [deployment.status for deployment in anchoring.anchor_due()]
