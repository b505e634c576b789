"""Scheduled expiry that waits for what a page's cards stand for (an open vote) to end.

Wagtail's ``publish_scheduled`` unpublishes every live page whose ``expire_at`` has passed;
an initiative with an open vote would leave the site while members vote. Here such a page is
held: it stays live, its page history says why (once per expiry time) and the next run, after
the vote has closed or been cancelled, unpublishes it.
"""

import logging

from django.apps import apps
from wagtail.models import DraftStateMixin, Page, PageLogEntry

from blocks.lifecycle import UNPUBLISH, refusals

logger = logging.getLogger(__name__)

# The page history's action for a held expiry (registered in ``wagtail_hooks``).
EXPIRY_HELD = "initiatives.expiry_held"


def hold_expiry(page, reasons):
    """Record once per expiry time, in the page's history, why ``page`` did not expire."""
    expire_at = page.expire_at.isoformat()
    logger.warning("Page %s did not expire at %s: %s", page.pk, expire_at, " ".join(reasons))
    already = PageLogEntry.objects.filter(page=page, action=EXPIRY_HELD, data__expire_at=expire_at)
    if not already.exists():
        PageLogEntry.objects.log_action(
            page, EXPIRY_HELD, data={"expire_at": expire_at, "reasons": reasons}
        )


def expire_pages(now):
    """Unpublish live pages whose expiry time has passed, except those held by a running card."""
    for page in list(Page.objects.filter(live=True, expire_at__lt=now).order_by("expire_at")):
        reasons = refusals([page], UNPUBLISH)
        if reasons:
            hold_expiry(page, reasons)
            continue
        page.unpublish(set_expired=True, log_action="wagtail.unpublish.scheduled")


def expire_snippets(now):
    for model in apps.get_models():
        if issubclass(model, DraftStateMixin) and not issubclass(model, Page):
            for obj in list(model.objects.filter(live=True, expire_at__lt=now).order_by("expire_at")):
                obj.unpublish(set_expired=True, log_action="wagtail.unpublish.scheduled")
