"""Bidding: a verified account submits, replaces or withdraws its one quote on a tender.

A quote's contents are sealed (``tenders.crypto``) as canonical JSON with a random salt;
the keccak256 of that JSON is the bidder's receipt, appended to the initiative's governance
log at once and, when the quotes open, a leaf of their Merkle tree. The deadline is checked
against the server's clock under a lock on the tender row, so no quote slips in after it and
none races the opening.
"""

import datetime
import json
import secrets
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.hashing import canonical_json, keccak_hex
from governance.services import log

from ..conf import app_settings
from ..crypto import seal, unseal
from ..exceptions import (
    DeadlinePassed,
    InvalidQuote,
    NoQuote,
    NotAcceptingQuotes,
    NotAllowed,
    ReplayedRequest,
)
from ..models import FormToken, Organisation, Quote, QuoteStatus, Tender
from ..names import person_name
from . import attachments
from .cards import published_page, tender_card, tender_for_card

MAX_OFFER_LENGTH = 5000
MAX_REASON_LENGTH = 2000


def is_verified(user):
    """Signed in with at least one verified e-mail address (allauth)."""
    if user is None or not user.is_authenticated:
        return False
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, verified=True).exists()


def _amount(value):
    try:
        amount = Decimal(str(value).strip().replace(",", ".")) if value not in (None, "") else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise InvalidQuote(_("Enter the amount in euros, for example 7450 or 7450.50."))
    if amount <= 0:
        raise InvalidQuote(_("The amount must be more than € 0."))
    if amount > app_settings.MAX_AMOUNT:
        raise InvalidQuote(
            _("An amount above € %(max)s cannot be right; check the amount.")
            % {"max": f"{app_settings.MAX_AMOUNT:,.0f}"}
        )
    if amount.as_tuple().exponent < -2:
        raise InvalidQuote(_("Give the amount in whole cents at most (two decimals)."))
    return amount.quantize(Decimal("0.01"))


def _date(value, label):
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        try:
            value = datetime.date.fromisoformat(str(value))
        except ValueError:
            raise InvalidQuote(_("Enter a valid date for “%(field)s”.") % {"field": label}) from None
    return value


def clean_quote(card, *, amount, offer, delivery_date, valid_until, amount_reason="", deadline, now):
    """The quote's fields, checked (InvalidQuote with a message for the first problem).

    The budget range is the card's (``budget_min``/``budget_max``); an amount outside it needs
    a reason (issue 12, 2).
    """
    amount = _amount(amount)
    amount_reason = (amount_reason or "").strip()
    low, high = card.get("budget_min"), card.get("budget_max")
    outside = (low is not None and amount < low) or (high is not None and amount > high)
    if outside and not amount_reason:
        raise InvalidQuote(
            _("The amount is outside the budget of this tender; explain why in “Reason for the amount”.")
        )
    if len(amount_reason) > MAX_REASON_LENGTH:
        raise InvalidQuote(_("The reason is too long (at most %(max)s characters).") % {"max": MAX_REASON_LENGTH})
    offer = (offer or "").strip()
    if not offer:
        raise InvalidQuote(_("Describe what you offer."))
    if len(offer) > MAX_OFFER_LENGTH:
        raise InvalidQuote(_("The offer is too long (at most %(max)s characters).") % {"max": MAX_OFFER_LENGTH})
    delivery_date = _date(delivery_date, _("Delivery date"))
    valid_until = _date(valid_until, _("Valid until"))
    today = timezone.localdate(now)
    if delivery_date < today:
        raise InvalidQuote(_("The delivery date lies in the past."))
    if valid_until < timezone.localdate(deadline):
        raise InvalidQuote(_("The quote must stay valid at least until the deadline of the tender."))
    return {
        "amount": f"{amount:.2f}",
        "amount_reason": amount_reason,
        "offer": offer,
        "delivery_date": delivery_date.isoformat(),
        "valid_until": valid_until.isoformat(),
    }


def _require_bidder(user):
    if not is_verified(user):
        raise NotAllowed(_("Sign in with a verified e-mail address to bid."))


def _require_accepting(tender, card, now):
    if tender.is_awarded:
        raise NotAcceptingQuotes(_("This tender has been awarded; it takes no more quotes."))
    if tender.is_opened or now >= tender.deadline:
        raise DeadlinePassed()
    if card.get("status") != "open":
        raise NotAcceptingQuotes(_("This tender is closed; it takes no quotes."))


def refusal(tender, card, now=None):
    """Why the tender takes no quote now (a sentence), or None if it takes one."""
    now = now or timezone.now()
    if tender is None:
        tender = Tender(deadline=card["deadline"])
    try:
        _require_accepting(tender, card, now)
    except DeadlinePassed:
        return _("The deadline for quotes has passed.")
    except NotAcceptingQuotes as error:
        return str(error)
    return None


def _use_token(token):
    token = (token or "").strip()
    if not token or len(token) > 64:
        raise InvalidQuote(_("The form is incomplete. Reload the page and try again."))
    try:
        with transaction.atomic():
            FormToken.objects.create(token=token)
    except IntegrityError:
        raise ReplayedRequest() from None


def new_form_token():
    return secrets.token_urlsafe(24)


def submit_quote(
    page_id,
    block_id,
    user,
    *,
    amount,
    offer,
    delivery_date,
    valid_until,
    token,
    amount_reason="",
    organisation_id=None,
    attachment=None,
    now=None,
):
    """Submit or replace ``user``'s quote on the tender card ``block_id`` of page ``page_id``.

    ``amount`` in euros (Decimal or text), dates as ``date`` or ISO text, ``attachment`` an
    uploaded file (a PDF) or None, ``token`` the form's one-time token. Returns the new active
    ``Quote``; its ``receipt`` is the bidder's receipt. Raises a ``TenderError`` (and stores
    nothing) for an unknown tender, a bidder who may not bid, invalid fields, a passed
    deadline, a closed or awarded tender, or a replayed form.
    """
    now = now or timezone.now()
    _require_bidder(user)
    page = published_page(page_id)
    card = tender_card(page, block_id)
    tender = tender_for_card(page, block_id, card)
    _require_accepting(tender, card, now)
    fields = clean_quote(
        card,
        amount=amount,
        offer=offer,
        delivery_date=delivery_date,
        valid_until=valid_until,
        amount_reason=amount_reason,
        deadline=tender.deadline,
        now=now,
    )
    organisation = None
    if organisation_id not in (None, ""):
        organisation = Organisation.objects.filter(pk=organisation_id, representative=user).first()
        if organisation is None:
            raise InvalidQuote(_("Choose one of your own organisations, or bid as a resident."))
    pdf = attachments.read_upload(attachment) if attachment else None
    contents = {
        "v": 1,
        "tender": str(tender.uuid),
        "salt": secrets.token_hex(16),
        "bidder": user.pk,
        "bidder_name": organisation.name if organisation else _display_name(user),
        "organisation": (
            {"id": organisation.pk, "name": organisation.name, "kvk_number": organisation.kvk_number}
            if organisation
            else None
        ),
        **fields,
        "attachment": attachments.describe(attachment, pdf) if pdf else None,
        "submitted_at": now,
    }
    encoded = canonical_json(contents)
    receipt = keccak_hex(encoded)
    stored_file = attachments.store(pdf) if pdf else ""
    try:
        with transaction.atomic():
            tender = Tender.objects.select_for_update().get(pk=tender.pk)
            _require_accepting(tender, card, now)
            _use_token(token)
            replaced = list(
                Quote.objects.select_for_update()
                .filter(tender=tender, bidder=user, status=QuoteStatus.ACTIVE)
                .values_list("pk", "receipt")
            )
            if replaced:
                Quote.objects.filter(pk__in=[pk for pk, _receipt in replaced]).update(
                    status=QuoteStatus.REPLACED
                )
            quote = Quote.objects.create(
                tender=tender,
                bidder=user,
                sealed=seal(encoded),
                receipt=receipt,
                attachment_file=stored_file,
                submitted_at=now,
            )
            _log_quote_event(
                tender,
                card,
                user,
                "tender.quote",
                {"receipt": receipt, "replaces": [old for _pk, old in replaced]},
                now,
            )
    except BaseException:
        attachments.remove(stored_file)
        raise
    return quote


def _log_quote_event(tender, card, user, kind, payload, now):
    """Append a quote's submission or withdrawal to the initiative's log.

    On a card that shows how many quotes came in, the entry is public as it always was. On one
    that does not, the log must not count them either (issue 12, 3): the entry goes in under the
    neutral public kind (``log.append(withhold=True)``), naming its bidder, so the open-data API
    withholds it whole and the bidder finds it, with payload and salt, in "your data".
    """
    payload = {"tender": str(tender.uuid), **payload}
    if card.get("show_quote_count"):
        log.append(tender.initiative_id, kind, payload, at=now)
    else:
        log.append(tender.initiative_id, kind, {**payload, "bidder": user.pk}, at=now, withhold=True)


def _display_name(user):
    # Sealed with the quote and, for the winner, published: the profile's public name, never
    # the e-mail address allauth would fall back to ("" reads "a resident", see ``names``).
    return person_name(user)


def withdraw_quote(page_id, block_id, user, *, now=None):
    """Withdraw ``user``'s active quote before the deadline; returns the withdrawn quote."""
    now = now or timezone.now()
    if user is None or not user.is_authenticated:
        raise NotAllowed()
    page = published_page(page_id)
    card = tender_card(page, block_id)
    tender = Tender.objects.filter(initiative_id=page.pk, block_id=block_id).first()
    if tender is None:
        raise NoQuote()
    with transaction.atomic():
        tender = Tender.objects.select_for_update().get(pk=tender.pk)
        _require_accepting(tender, card, now)
        quote = (
            Quote.objects.select_for_update()
            .filter(tender=tender, bidder=user, status=QuoteStatus.ACTIVE)
            .first()
        )
        if quote is None:
            raise NoQuote()
        quote.status = QuoteStatus.WITHDRAWN
        quote.save(update_fields=["status"])
        _log_quote_event(tender, card, user, "tender.quote_withdrawn", {"receipt": quote.receipt}, now)
    return quote


def contents(quote):
    """The unsealed contents of a quote (a dict); callers ask ``access`` first."""
    return json.loads(unseal(quote.sealed))


def my_quote(tender, user):
    """``user``'s active quote on ``tender`` with its contents, or None."""
    if tender is None or user is None or not user.is_authenticated:
        return None
    quote = Quote.objects.filter(tender=tender, bidder=user, status=QuoteStatus.ACTIVE).first()
    if quote is None:
        return None
    quote.contents = contents(quote)
    return quote
