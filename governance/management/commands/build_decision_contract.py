from django.core.management.base import BaseCommand

from governance import contracts


class Command(BaseCommand):
    help = "Compile DecisionRecord.vy with the installed vyper and store the artifact beside it."

    def handle(self, *args, **options):
        data = contracts.write_artifact()
        self.stdout.write(
            f"Wrote {contracts.ARTIFACT_PATH.name} ({data['compiler']}, "
            f"{len(data['bytecode']) // 2 - 1} bytes of init code)."
        )
