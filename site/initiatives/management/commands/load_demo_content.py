import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from initiatives.demo import DEMO_ADMIN, INITIATIVES, load_demo_content


class Command(BaseCommand):
    help = "Create the demo platform: three initiatives on their own .localhost domains and an admin account."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=os.environ.get("CTYLAB_DEMO_PASSWORD", "ctylab-demo"),
            help="Password of the demo admin account when it is created (default: ctylab-demo).",
        )
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")

    def handle(self, *args, password, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo content is for development: run with DEBUG on, or pass --force.")
        created = load_demo_content(password)
        for title in created:
            self.stdout.write(f"Created {title}")
        if not created:
            self.stdout.write("Demo content was already there; nothing changed.")
        port = getattr(settings, "CTYLAB_DOMAIN_PORT", 8000)
        self.stdout.write(self.style.SUCCESS("Demo platform ready:"))
        self.stdout.write(f"  platform:  http://127.0.0.1:{port}/")
        for spec in INITIATIVES:
            self.stdout.write(f"  {spec['title']}: http://{spec['hostname']}:{port}/")
        self.stdout.write(f"  admin:     http://127.0.0.1:{port}/admin/  (log in as {DEMO_ADMIN} / {password})")
