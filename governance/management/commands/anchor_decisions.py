from django.core.management.base import BaseCommand

from governance.services import anchor_due


class Command(BaseCommand):
    help = "Deploy the contracts of decisions waiting for the chain (retries are due-time based)."

    def handle(self, *args, **options):
        rows = anchor_due()
        for deployment in rows:
            line = f"Decision {deployment.decision_id}: {deployment.get_status_display()}"
            if deployment.contract_address:
                line += f" at {deployment.contract_address} (block {deployment.block_number})"
            elif deployment.last_error:
                line += f" — {deployment.last_error}"
            self.stdout.write(line)
        self.stdout.write(f"{len(rows)} deployment(s) processed.")
