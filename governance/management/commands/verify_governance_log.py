from django.core.management.base import BaseCommand, CommandError

from governance.exceptions import LogTampered
from governance.models import LogEntry
from governance.services import log


class Command(BaseCommand):
    help = "Check the hash chain of every initiative's governance log."

    def handle(self, *args, **options):
        initiative_ids = LogEntry.objects.values_list("initiative_id", flat=True).distinct()
        broken = 0
        for initiative_id in sorted(set(initiative_ids)):
            try:
                log.verify(initiative_id, log.anchored_heads(initiative_id))
            except LogTampered as error:
                broken += 1
                self.stdout.write(f"BAD initiative {initiative_id}:")
                for problem in error.problems:
                    self.stdout.write(f"    - {problem}")
            else:
                self.stdout.write(f"OK  initiative {initiative_id}")
        if broken:
            raise CommandError(f"{broken} governance log(s) have been altered.")
