"""Keep the index in step with the site: publishing, unpublishing, moving, deleting pages,
view restrictions, sites (domains), renamed or deleted ambitions and new sensor readings."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from taggit.models import Tag
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from blocks.readings import reading_card_types
from blocks.signals import readings_imported

from . import services
from .conf import app_settings
from .models import IndexedAmbition, SearchDocument


def _is_searched(page):
    model = services.page_model()
    return isinstance(page, model) or issubclass(page.specific_class or type(page), model)


@receiver(pre_save)
def remember_page_state(sender, instance, raw=False, **kwargs):
    # Publishing a page changes its descendants only if it goes live or changes address.
    if raw or not isinstance(instance, Page) or not instance.pk:
        return
    instance._search_state_before = (
        Page.objects.filter(pk=instance.pk).values_list("live", "url_path").first()
    )


@receiver(page_published)
def page_was_published(sender, instance, **kwargs):
    before = getattr(instance, "_search_state_before", None)
    if before is None or before != (instance.live, instance.url_path):
        services.reindex_below([instance.path])
    elif _is_searched(instance):
        services.index_pages([instance.pk])


@receiver(page_unpublished)
def page_was_unpublished(sender, instance, **kwargs):
    services.reindex_below([instance.path])


@receiver(post_page_move)
def page_was_moved(sender, instance, **kwargs):
    services.reindex_below([instance.path])


@receiver(post_delete)
def page_was_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page) and _is_searched(instance):
        services.forget_pages([instance.pk])


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def restriction_changed(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).only("path").first()
    if page is not None:
        services.reindex_below([page.path])


def _remember_stored(instance, raw, attribute, field):
    """Keep on ``instance`` the value ``field`` has in the database before this save, so the
    receiver after the save can tell what changed."""
    if raw or not instance.pk:
        return
    manager = type(instance)._default_manager
    setattr(
        instance,
        attribute,
        manager.filter(pk=instance.pk).values_list(field, flat=True).first(),
    )


@receiver(pre_save, sender=Site)
def remember_site_root(sender, instance, raw=False, **kwargs):
    _remember_stored(instance, raw, "_search_root_before", "root_page__path")


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def site_changed(sender, instance, raw=False, **kwargs):
    # Addresses (and the canonical domain) of everything under the root change.
    if raw:
        return
    root = Page.objects.filter(pk=instance.root_page_id).values_list("path", flat=True).first()
    services.reindex_below([root, getattr(instance, "_search_root_before", None)])


def card_policy_changed(sender, **kwargs):
    services.reindex_everything_later()


def connect_card_policy_models():
    """Follow the models that decide the card policy (see ``CTYLAB_SEARCH_POLICY_MODELS``)."""
    from django.apps import apps

    for label in app_settings.POLICY_MODELS:
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        post_save.connect(card_policy_changed, sender=model, dispatch_uid=f"search-policy-{label}")
        post_delete.connect(
            card_policy_changed, sender=model, dispatch_uid=f"search-policy-delete-{label}"
        )


def _reindex_pages(page_ids):
    """Now when few, else in a task once the transaction has committed."""
    page_ids = set(page_ids)
    if len(page_ids) <= app_settings.INLINE_REINDEX_LIMIT:
        services.index_pages(page_ids)
    else:
        from .tasks import reindex_pages

        transaction.on_commit(lambda: reindex_pages.enqueue(sorted(page_ids)))


@receiver(readings_imported)
def readings_were_imported(sender, series=None, **kwargs):
    # New readings are activity on the cards that show them (sorting by recent activity):
    # cards of the types that declare a reading series (blocks.readings.reading_card_types).
    _reindex_pages(
        SearchDocument.objects.filter(kind__in=reading_card_types())
        .values_list("page_id", flat=True)
        .distinct()
    )


def _pages_with_ambition(name):
    return set(IndexedAmbition.objects.filter(name=name).values_list("page_id", flat=True))


@receiver(pre_save, sender=Tag)
def remember_tag_name(sender, instance, raw=False, **kwargs):
    _remember_stored(instance, raw, "_search_name_before", "name")


@receiver(post_save, sender=Tag)
def tag_was_renamed(sender, instance, created=False, raw=False, **kwargs):
    # The ambition facet and the initiative's text show the tag's name.
    before = getattr(instance, "_search_name_before", None)
    if raw or created or before is None or before == instance.name:
        return
    _reindex_pages(_pages_with_ambition(before))


@receiver(pre_delete, sender=Tag)
def tag_will_be_deleted(sender, instance, **kwargs):
    # The pages' tagging rows go with the tag; re-index them once they are gone.
    page_ids = _pages_with_ambition(instance.name)
    if page_ids:
        transaction.on_commit(lambda: _reindex_pages(page_ids))
