import logging
import time

from django.core.management.base import BaseCommand

from initiatives.schedule import Clock, periodic_tasks

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Enqueue every app's periodic tasks (scheduled publishing, closing due proposals, "
        "anchoring and verifying decisions, retrying search updates) at their intervals, for the task worker to run. "
        "With --once, enqueue them all once and stop (for cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Enqueue every task once and stop.")

    def handle(self, *args, **options):
        schedule = periodic_tasks()
        if not schedule:
            self.stdout.write("No app declares periodic tasks.")
            return
        for entry in schedule:
            self.stdout.write(f"{entry.name} every {entry.every:g} s")
        clock = Clock(schedule)
        while True:
            now = time.monotonic()
            for entry in clock.due(now):
                try:
                    entry.task.enqueue()
                except Exception:
                    # The clock keeps going: the next round tries again.
                    logger.exception("Could not enqueue %s", entry.name)
                clock.ran(entry, now)
            if options["once"]:
                return
            time.sleep(clock.seconds_to_next(time.monotonic()))
