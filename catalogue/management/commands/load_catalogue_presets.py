from django.core.management.base import BaseCommand

from catalogue.examples import load_example_presets


class Command(BaseCommand):
    help = "Add the example card presets (Solar yield meter, Street party poll, …) that are missing."

    def handle(self, *args, **options):
        created = load_example_presets()
        for preset in created:
            self.stdout.write(f"Added the preset “{preset.name}” ({preset.card_type.name}).")
        if not created:
            self.stdout.write("All example presets are there already.")
