"""Tender rows follow published pages: publishing a page with tender cards creates them and
applies a deadline moved later (see ``services.deadlines.sync_page_tenders``)."""

from django.dispatch import receiver
from wagtail.signals import page_published


@receiver(page_published, dispatch_uid="tenders.sync_page_tenders")
def sync_tenders_on_publish(sender, instance, revision=None, **kwargs):
    if not hasattr(instance, "cards"):
        return
    from .services import sync_page_tenders

    user = getattr(revision, "user", None)
    sync_page_tenders(instance, user=user)
