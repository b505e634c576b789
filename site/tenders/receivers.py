"""Tender rows follow published pages: publishing a page with tender cards creates them and
applies a deadline moved later (see ``services.deadlines.sync_page_tenders``). E-mails about a
tender are sent by tasks, enqueued once the change is committed. A change to a tender or its
quotes is announced to the pages (``blocks.signals.announce_changed``): the card shows it live."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from blocks.signals import announce_changed

from .models import Quote, Tender
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


@receiver(post_save, sender=Tender, dispatch_uid="tenders.tender_shown")
def tender_changed(sender, instance, raw=False, **kwargs):
    # The card shows the tender live: its deadline, the quotes opened, the award.
    if not raw:
        announce_changed([instance.initiative_id])


@receiver(post_save, sender=Quote, dispatch_uid="tenders.quote_count_shown")
@receiver(post_delete, sender=Quote, dispatch_uid="tenders.quote_count_gone")
def quote_changed(sender, instance, raw=False, **kwargs):
    # A card may show how many quotes came in (never what they hold). One that does not looks
    # the same to visitors after a quote as before, and purging its page anyway would tell
    # anyone watching the cache (its Age, a fresh ETag time) that a quote just came in.
    if raw:
        return
    tender = Tender.objects.filter(pk=instance.tender_id).first()
    if tender is not None and (tender.is_opened or _shows_quote_count(tender)):
        announce_changed([tender.initiative_id])


def _shows_quote_count(tender):
    from .exceptions import TenderNotFound
    from .services.cards import published_page, tender_card

    try:
        return bool(tender_card(published_page(tender.initiative_id), tender.block_id).get("show_quote_count"))
    except TenderNotFound:
        return False  # no page visitors can reach: nothing of it is cached for them
