"""Apply the updates queued for a remote search index (Elasticsearch) while it was away."""

from django.core.management.base import BaseCommand, CommandError

from search.backends import get_backend
from search.backends.base import BackendUnavailable


class Command(BaseCommand):
    help = "Copy pages with queued search updates to the remote index (run from cron)."

    def handle(self, *args, **options):
        backend = get_backend()
        waiting = backend.pending()
        try:
            applied = backend.apply_pending()
        except BackendUnavailable as error:
            raise CommandError(
                f"{backend.label} is unavailable ({error}); {backend.pending()} updates stay queued."
            ) from error
        self.stdout.write(
            self.style.SUCCESS(f"Applied {applied} of {waiting} queued updates ({backend.label}).")
        )
