from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def sync_after_migrate(sender, using=DEFAULT_DB_ALIAS, plan=None, **kwargs):
    """Every registered card type gets its catalogue row as soon as the tables exist."""
    from .models import CardTypeEntry
    from .services import sync_card_types

    # After ``flush`` (which sends post_migrate without a plan) the database is meant to be
    # empty: the rows come back with the clock (``catalogue.tasks.sync_card_types``). Re-creating them here would collide with
    # tests that restore a serialised database (serialized_rollback).
    if using != DEFAULT_DB_ALIAS or plan is None:
        return
    if CardTypeEntry._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated backwards, or only part of the way
    sync_card_types()


class CatalogueConfig(AppConfig):
    name = "catalogue"
    label = "catalogue"
    verbose_name = _("Card catalogue")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail import hooks

        from blocks.registry import POLICY_HOOK_NAME

        from . import receivers  # noqa: F401 - pages follow a card type switched off
        from .policy import catalogue_policy

        # The catalogue decides which card types may be added and shown through the card
        # policy hook that blocks offers; blocks never imports the catalogue.
        hooks.register(POLICY_HOOK_NAME, catalogue_policy)
        post_migrate.connect(sync_after_migrate, sender=self, dispatch_uid="catalogue.sync_after_migrate")
