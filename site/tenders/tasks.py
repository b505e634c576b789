"""Background work of tenders: opening the quotes of tenders whose deadline has passed."""

from django_tasks import task

from .services import notify, opening


@task()
def open_due_tenders():
    """Run by the clock every minute; returns the ids of the tenders it opened."""
    return [tender.pk for tender in opening.open_due_tenders()]


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
PERIODIC_TASKS = [(open_due_tenders, 60)]
