from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Site
from wagtail.signals import page_published

from blocks.lifecycle import cards_published
from blocks.readings import shown_series
from blocks.signals import announce_changed, readings_imported
from ctylab import sites

from .models import InitiativeDomain, InitiativePage


@receiver(post_delete, sender=InitiativeDomain)
def remove_domain_site(sender, instance, **kwargs):
    # Only the Site goes (also on bulk deletes): pages are never deleted with a domain.
    if instance.site_id:
        Site.objects.filter(pk=instance.site_id).delete()


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
@receiver(post_save, sender=InitiativeDomain)
@receiver(post_delete, sender=InitiativeDomain)
def sites_changed(sender, **kwargs):
    # Every process answers hosts from its copy of the Sites table (ctylab.sites).
    sites.changed()


@receiver(readings_imported)
def follow_new_readings(sender, series, **kwargs):
    """New sensor readings are activity on every initiative whose cards show them, and change
    what those pages show (the latest value): they are purged from the caches."""
    changed = []
    for page in InitiativePage.objects.all().iterator():
        if shown_series(page.cards) & set(series):
            page.refresh_activity()
            InitiativePage.objects.filter(pk=page.pk).update(
                last_activity_at=page.last_activity_at, next_moment_at=page.next_moment_at
            )
            changed.append(page.pk)
    announce_changed(changed)


@receiver(page_published, sender=InitiativePage)
def follow_published_cards(sender, instance, revision=None, **kwargs):
    """What cards stand for elsewhere follows the published page (an election card's vote)."""
    cards_published(instance, getattr(revision, "user", None))
