"""Rebuild the search index from the published pages, with a progress bar.

Safe while the site serves: pages are read and written a chunk at a time in short
transactions, unchanged documents are left alone (unless --force), and Elasticsearch gets a
new index that replaces the old one only when it is complete.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from search import services
from search.backends import get_backend
from search.backends.base import BackendUnavailable


class ProgressBar:
    """``[#####.....]  512/2000 pages  25%`` redrawn in place on a terminal; on anything else
    (logs, CI) one line per tenth, so the output stays readable."""

    width = 30

    def __init__(self, stream, enabled=True):
        self.stream = stream
        self.enabled = enabled
        self.interactive = hasattr(stream, "isatty") and stream.isatty()
        self.done = 0
        self.total = 0
        self.last_tenth = -1
        self.started = time.monotonic()

    def __call__(self, count, total=None):
        if total is not None:
            self.total = total
        self.done += count
        if self.enabled:
            self.draw()

    def draw(self):
        share = self.done / self.total if self.total else 1.0
        tenth = int(share * 10)
        if not self.interactive and tenth == self.last_tenth:
            return
        self.last_tenth = tenth
        filled = int(share * self.width)
        bar = "#" * filled + "." * (self.width - filled)
        line = f"[{bar}] {self.done:>{len(str(self.total))}}/{self.total} pages {share:4.0%}"
        if self.interactive:
            self.stream.write("\r" + line, ending="")
            self.stream.flush()
        else:
            self.stream.write(line)

    def finish(self):
        if self.enabled and self.interactive:
            self.stream.write("")


class Command(BaseCommand):
    help = "Rebuild the search index from every published, public initiative and its cards."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Rewrite every document, changed or not."
        )
        parser.add_argument("--chunk-size", type=int, default=None, help="Pages per chunk.")
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show the progress bar."
        )

    def handle(self, *args, force=False, chunk_size=None, no_progress=False, **options):
        backend = get_backend()
        self.stdout.write(f"Rebuilding the search index ({backend.label} backend)…")
        progress = ProgressBar(self.stdout, enabled=not no_progress and options["verbosity"] > 0)
        started = time.monotonic()
        try:
            report = services.rebuild(force=force, progress=progress, chunk_size=chunk_size)
        except BackendUnavailable as error:
            progress.finish()
            raise CommandError(
                "The database index is rebuilt, but Elasticsearch could not be reached "
                f"({error}). The changes are queued; run apply_search_updates later."
            ) from error
        progress.finish()
        report.pop("changed_ids", None)
        seconds = time.monotonic() - started
        summary = ", ".join(f"{name}: {value}" for name, value in report.items())
        self.stdout.write(self.style.SUCCESS(f"Done in {seconds:.1f} s — {summary}."))

