from django.core.management.base import BaseCommand

from catalogue.examples import load_example_presets, load_example_starters


class Command(BaseCommand):
    help = (
        "Add the example card presets (Solar yield meter, Street party poll, …) and starters "
        "(Energy cooperative, Street project, Park co-design) that are missing."
    )

    def handle(self, *args, **options):
        created = load_example_presets()
        for preset in created:
            self.stdout.write(f"Added the preset “{preset.name}” ({preset.card_type.name}).")
        starters = load_example_starters()
        for starter in starters:
            self.stdout.write(f"Added the starter “{starter.name}”.")
        if not created and not starters:
            self.stdout.write("All example presets are there already.")
