"""Background work of tenders: opening the quotes of tenders whose deadline has passed,
catching up on members' votes on awards, and the e-mails to bidders."""

from django_tasks import task

from .services import award_vote, notify, opening


@task()
def open_due_tenders():
    """Run by the clock every minute; returns the ids of the tenders it opened."""
    return [tender.pk for tender in opening.open_due_tenders()]


@task()
def settle_award_votes():
    """Run by the clock every minute: apply the outcome of award votes whose announcement was
    missed; returns the ids of the tenders settled."""
    return [tender.pk for tender in award_vote.settle_ended_votes()]


@task()
def mail_deadline_extended(tender_id, previous):
    """E-mail the bidders that ``tender_id``'s deadline moved (``previous``: ISO 8601)."""
    import datetime

    from .models import Tender

    tender = Tender.objects.get(pk=tender_id)
    return notify.deadline_extended(tender, datetime.datetime.fromisoformat(previous))


@task()
def mail_award(tender_id):
    """E-mail the winner and the other bidders of an awarded tender."""
    from .models import Tender

    return notify.awarded(Tender.objects.select_related("awarded_quote__bidder").get(pk=tender_id))


# Enqueued by the platform's clock (``manage.py run_schedule``), in seconds.
PERIODIC_TASKS = [(open_due_tenders, 60), (settle_award_votes, 60)]
