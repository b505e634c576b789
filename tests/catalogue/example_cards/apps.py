from django.apps import AppConfig


class ExampleCardsConfig(AppConfig):
    name = "tests.catalogue.example_cards"
    label = "example_cards"
    verbose_name = "Example cards (tests)"

    def ready(self):
        from wagtail import hooks

        from blocks.registry import HOOK_NAME

        from .cards import pledge_card_types

        hooks.register(HOOK_NAME, pledge_card_types)
