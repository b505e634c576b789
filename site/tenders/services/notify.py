"""E-mails to bidders. None of them carries a quote's contents (issue 12: sealed means not in
e-mail either); they say what happened and link to the tender."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string


def _send(template, recipients, context):
    if not recipients:
        return 0
    subject = " ".join(render_to_string(f"tenders/email/{template}_subject.txt", context).split())
    body = render_to_string(f"tenders/email/{template}_body.txt", context)
    sender = settings.DEFAULT_FROM_EMAIL
    return send_mass_mail([(subject, body, sender, [address]) for address in sorted(recipients)])


def bidders_addresses(tender, exclude_user_ids=()):
    from ..models import QuoteStatus

    return {
        quote.bidder.email
        for quote in tender.quotes.filter(status=QuoteStatus.ACTIVE, bidder__isnull=False)
        .exclude(bidder_id__in=list(exclude_user_ids))
        .select_related("bidder")
        if quote.bidder.email
    }


def deadline_extended(tender, previous):
    return _send(
        "deadline_extended", bidders_addresses(tender), {"tender": tender, "previous": previous}
    )


def awarded(tender):
    winner_id = tender.awarded_quote.bidder_id
    sent = _send("not_awarded", bidders_addresses(tender, exclude_user_ids=[winner_id]), {"tender": tender})
    winner = tender.awarded_quote.bidder
    if winner is not None and winner.email:
        sent += _send("awarded", {winner.email}, {"tender": tender})
    return sent
