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
        bad = [check for check in checks if not check.ok and not check.other_chain]
        elsewhere = [check for check in checks if check.other_chain]
        for check in checks:
            deployment = check.deployment
            where = deployment.contract_address or "(not deployed)"
            if check.other_chain:
                self.stdout.write(
                    f"--  decision {deployment.decision_id} at {where}: recorded on chain "
                    f"{deployment.chain_id}, but the configured node is chain {check.chain_id}; "
                    "not compared (point GOVERNANCE_CHAIN at that chain to check it)"
                )
            elif check.ok:
                self.stdout.write(f"OK  decision {deployment.decision_id} at {where}")
            else:
                self.stdout.write(f"BAD decision {deployment.decision_id} at {where}:")
                for mismatch in check.mismatches:
                    self.stdout.write(f"    - {mismatch}")
                if check.chain_error:
                    self.stdout.write(f"      ({check.chain_error})")
        if bad:
            raise CommandError(f"{len(bad)} of {len(checks)} deployment(s) do not match.")
        compared = len(checks) - len(elsewhere)
        if elsewhere:
            self.stdout.write(
                f"{len(elsewhere)} deployment(s) are on another chain and were not compared; "
                f"all {compared} compared deployment(s) match."
            )
        else:
            self.stdout.write(f"All {compared} deployment(s) match the chain.")
