from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from blocks.importers import ReadingsImportError, import_readings


class Command(BaseCommand):
    help = (
        "Import sensor readings from a CSV file with the columns device, metric, measured_at, "
        "value. Nothing is stored if any row is malformed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV file to import ('-' reads standard input)")

    def handle(self, *args, path, **options):
        try:
            if path == "-":
                import sys

                result = import_readings(sys.stdin)
            else:
                with Path(path).open(newline="", encoding="utf-8-sig") as handle:
                    result = import_readings(handle)
        except FileNotFoundError:
            raise CommandError(f"No such file: {path}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{path} is not UTF-8 text; nothing was imported.") from None
        except ReadingsImportError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(error.problems)} malformed row(s); nothing was imported."
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.created} reading(s) for {len(result.series)} series"
                f" ({result.already_present} already present)."
            )
        )
