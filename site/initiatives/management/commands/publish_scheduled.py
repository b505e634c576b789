"""Wagtail's ``publish_scheduled``, except that a page with a running vote does not expire
until the vote has ended (see ``initiatives.expiry``).

Everything else is Wagtail's behaviour: the same models, the same order, the same log actions.
It overrides Wagtail's command because ``initiatives`` comes before ``wagtail`` in
``INSTALLED_APPS``, so the clock's task and anyone's cron run this one.
"""

from django.utils import timezone
from wagtail.management.commands.publish_scheduled import Command as WagtailCommand
from wagtail.models import Revision

from initiatives.expiry import expire_pages, expire_snippets


class Command(WagtailCommand):
    def handle(self, *args, **options):
        if options["dryrun"]:
            return super().handle(*args, **options)  # changes nothing
        now = timezone.now()
        expire_pages(now)
        expire_snippets(now)
        for revision in Revision.objects.filter(approved_go_live_at__lt=timezone.now()).order_by(
            "approved_go_live_at"
        ):
            revision.publish(log_action="wagtail.publish.scheduled")
