"""Tender rows follow published pages: publishing a page with tender cards creates them and
applies a deadline moved later (see ``services.deadlines.sync_page_tenders``). E-mails about a
tender are sent by tasks, enqueued once the change is committed."""

from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published

from .signals import deadline_extended, tender_awarded


@receiver(page_published, dispatch_uid="tenders.sync_page_tenders")
def sync_tenders_on_publish(sender, instance, revision=None, **kwargs):
    if not hasattr(instance, "cards"):
        return
    from .services import sync_page_tenders

    user = getattr(revision, "user", None)
    sync_page_tenders(instance, user=user)


@receiver(deadline_extended, dispatch_uid="tenders.mail_deadline_extended")
def mail_bidders_about_extension(sender, tender, previous, **kwargs):
    from .tasks import mail_deadline_extended

    transaction.on_commit(lambda: mail_deadline_extended.enqueue(tender.pk, previous.isoformat()))


@receiver(tender_awarded, dispatch_uid="tenders.mail_award")
def mail_bidders_about_award(sender, tender, **kwargs):
    from .tasks import mail_award

    transaction.on_commit(lambda: mail_award.enqueue(tender.pk))
