from django.core.management.base import BaseCommand

from governance.services import close_due_proposals


class Command(BaseCommand):
    help = "Close every open proposal whose closing time has passed and record its decision."

    def handle(self, *args, **options):
        decisions = close_due_proposals()
        for decision in decisions:
            outcome = "passed" if decision.passed else "did not pass"
            self.stdout.write(f"Closed “{decision.proposal}”: {outcome}, tally {decision.tally}.")
        self.stdout.write(f"{len(decisions)} proposal(s) closed.")
