"""Switching a card type off (or on) changes the pages that hold such cards, when the catalogue
hides them from visitors: those pages are announced (``blocks.signals.announce_changed``) once
the change commits, and the caches purge them."""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from blocks.signals import announce_changed

from .models import CardTypeEntry
from .services import live_pages_with_card_type


def shown(enabled, when_disabled):
    from .policy import CataloguePolicy

    return CataloguePolicy.shown(enabled, when_disabled)


@receiver(pre_save, sender=CardTypeEntry, dispatch_uid="catalogue.remember_shown")
def remember_shown(sender, instance, raw=False, **kwargs):
    before = None
    if not raw and instance.pk:
        before = CardTypeEntry.objects.filter(pk=instance.pk).values_list("enabled", "when_disabled").first()
    instance._shown_before = shown(*before) if before else None


@receiver(post_save, sender=CardTypeEntry, dispatch_uid="catalogue.announce_shown")
def announce_shown(sender, instance, raw=False, created=False, **kwargs):
    before = getattr(instance, "_shown_before", None)
    if raw or created or before is None or before == shown(instance.enabled, instance.when_disabled):
        return
    announce_changed(live_pages_with_card_type(instance.name))
