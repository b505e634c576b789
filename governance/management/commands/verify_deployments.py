from django.core.management.base import BaseCommand, CommandError

from governance.models import Deployment, DeploymentStatus
from governance.services import record_verifications


class Command(BaseCommand):
    help = (
        "Re-read every decision contract from the chain, compare it with the database and keep "
        "the outcome for the public decisions page."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="Also list decisions not yet on the chain (they count as mismatches).",
        )

    def handle(self, *args, **options):
        queryset = Deployment.objects.all()
        if not options["all"]:
            queryset = queryset.filter(status=DeploymentStatus.CONFIRMED)
        checks = record_verifications(queryset)
        bad = [check for check in checks if not check.ok]
        for check in checks:
            deployment = check.deployment
            where = deployment.contract_address or "(not deployed)"
            if check.ok:
                self.stdout.write(f"OK  decision {deployment.decision_id} at {where}")
            else:
                self.stdout.write(f"BAD decision {deployment.decision_id} at {where}:")
                for mismatch in check.mismatches:
                    self.stdout.write(f"    - {mismatch}")
                if check.chain_error:
                    self.stdout.write(f"      ({check.chain_error})")
        if bad:
            raise CommandError(f"{len(bad)} of {len(checks)} deployment(s) do not match.")
        self.stdout.write(f"All {len(checks)} deployment(s) match the chain.")
