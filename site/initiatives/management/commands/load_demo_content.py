import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from initiatives.demo import INITIATIVES, demo_sign_in, load_demo_content


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
        host, port = settings.CTYLAB_DEMO_HOST, settings.CTYLAB_DOMAIN_PORT
        sign_in = demo_sign_in()
        self.stdout.write(self.style.SUCCESS("Demo platform ready:"))
        self.stdout.write(f"  platform:  http://{host}:{port}/")
        for spec in INITIATIVES:
            self.stdout.write(f"  {spec['title']}: http://{spec['hostname']}:{port}/")
        self.stdout.write(f"  admin:     http://{host}:{port}/admin/")
        self.stdout.write(f"    e-mail:    {sign_in['email']}")
        self.stdout.write(f"    password:  {password}  (if this command created the account)")
        self.stdout.write(
            "    two-factor step: a code from an authenticator app set up with the secret "
            f"{sign_in['secret']}\n      ({sign_in['totp_url']}),"
        )
        self.stdout.write(
            "      or one of these single-use recovery codes: " + " ".join(sign_in["recovery_codes"][:3])
        )
