"""Tender data: organisations that bid, tenders (one per tender card) and their quotes.

Models hold data and the invariants the database can enforce; the operations people perform
(bid, replace, withdraw, extend, open, award) live in ``tenders.services``.

A quote's contents are sealed (``tenders.crypto``) in ``Quote.sealed`` until the tender is
opened; only then are the plain columns (amount, offer, dates) filled, so that frontrunners
can sort and compare them. Before opening the database holds no amount in the clear.
"""

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The Dutch chamber of commerce (KvK) number: eight digits (KvK, "Het KvK-nummer").
kvk_number_validator = RegexValidator(
    r"^[0-9]{8}\Z", _("A KvK number has exactly 8 digits, for example 12345678.")
)


class Organisation(models.Model):
    """A business or association on whose behalf a signed-in account bids."""

    name = models.CharField(_("name"), max_length=200)
    kvk_number = models.CharField(
        _("KvK number"),
        max_length=8,
        validators=[kvk_number_validator],
        help_text=_("The 8-digit number of the Dutch chamber of commerce (KvK)."),
    )
    contact_name = models.CharField(_("contact person"), max_length=120)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("represented by"),
        on_delete=models.CASCADE,
        related_name="tender_organisations",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["representative", "kvk_number"], name="tenders_one_organisation_per_kvk_number"
            ),
            models.CheckConstraint(
                condition=Q(kvk_number__regex=r"^[0-9]{8}$"), name="tenders_kvk_number_is_8_digits"
            ),
        ]

    def __str__(self):
        return f"{self.name} (KvK {self.kvk_number})"


class AwardVoteState(models.TextChoices):
    NONE = "", _("No vote")
    RUNNING = "running", _("The members are voting")
    UNDECIDED = "undecided", _("The vote chose no quote")
    CANCELLED = "cancelled", _("The vote was cancelled")
    DECIDED = "decided", _("Chosen by the members' vote")


class Tender(models.Model):
    """The bidding state of one tender card (by its block id) of an initiative page.

    Created when the page with the card is published; ``deadline`` is the authoritative one
    from then on (it only moves later, through ``services.extend_deadline``).
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.InitiativePage",
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="tenders",
    )
    block_id = models.CharField(max_length=64)
    request = models.CharField(_("what is asked"), max_length=200, blank=True)
    deadline = models.DateTimeField(_("deadline"))
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    # Merkle root (governance.merkle) of the receipts of the quotes that were opened.
    quotes_root = models.CharField(_("Merkle root of the quotes"), max_length=66, blank=True)
    awarded_quote = models.OneToOneField(
        "Quote",
        verbose_name=_("awarded quote"),
        null=True,
        blank=True,
        # RESTRICT, not PROTECT: a quote cannot go while it is the award, but a tender (or its
        # initiative) that is deleted takes its quotes and its award with it.
        on_delete=models.RESTRICT,
        related_name="awarded_tender",
    )
    award_reason = models.TextField(_("reason for the award"), blank=True)
    awarded_at = models.DateTimeField(_("awarded at"), null=True, blank=True)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The governance decision that anchors the award (governance.Decision's id).
    award_decision_id = models.PositiveBigIntegerField(null=True, blank=True)
    # The members' vote on the award, if a frontrunner put it to one (governance.external_votes):
    # the vote's uuid, the quotes in the order of its options, and how far it got.
    award_vote_uuid = models.UUIDField(_("vote on the award"), null=True, blank=True)
    award_vote_quotes = models.JSONField(default=list, blank=True)
    award_vote_state = models.CharField(
        _("vote on the award"), max_length=10, choices=AwardVoteState.choices, default="", blank=True
    )
    award_vote_closes_at = models.DateTimeField(_("vote closes at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tender")
        verbose_name_plural = _("tenders")
        ordering = ["-deadline"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "block_id"], name="tenders_one_tender_per_card"),
            models.CheckConstraint(
                condition=Q(awarded_quote__isnull=True) | Q(opened_at__isnull=False),
                name="tenders_award_after_opening",
            ),
        ]

    def __str__(self):
        return self.request or str(self.uuid)

    @property
    def is_opened(self):
        return self.opened_at is not None

    @property
    def is_awarded(self):
        return self.awarded_quote_id is not None

    @property
    def is_being_voted_on(self):
        return self.award_vote_state == AwardVoteState.RUNNING

    def is_past_deadline(self, now=None):
        return (now or timezone.now()) >= self.deadline


class QuoteStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    REPLACED = "replaced", _("Replaced")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Quote(models.Model):
    """One version of a bidder's quote. Replacing writes a new row and marks the old one
    replaced, so every receipt ever given stays explained."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="quotes")
    # Emptied when the bidder deletes their account; the quote stays among those opened.
    bidder = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="tender_quotes"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=QuoteStatus.choices, default=QuoteStatus.ACTIVE
    )
    # Fernet token of the canonical JSON of the contents (tenders.crypto).
    sealed = models.BinaryField()
    # keccak256 of the canonical contents (with a random salt): the bidder's receipt and the
    # quote's leaf in the Merkle tree opened at the deadline.
    receipt = models.CharField(_("receipt"), max_length=66, unique=True)
    # Random name of the sealed attachment under TENDER_ATTACHMENT_ROOT, or "".
    attachment_file = models.CharField(max_length=64, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    # Filled from the sealed contents when the tender opens, never before.
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quotes",
    )
    bidder_name = models.CharField(_("bidder"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount (€)"), max_digits=12, decimal_places=2, null=True, blank=True)
    amount_reason = models.TextField(_("reason for an amount outside the budget"), blank=True)
    offer = models.TextField(_("what is offered"), blank=True)
    delivery_date = models.DateField(_("delivery date"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    attachment_name = models.CharField(_("attachment"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender", "bidder"],
                condition=Q(status="active"),
                name="tenders_one_active_quote_per_bidder",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="tenders_amount_not_negative"
            ),
        ]

    def __str__(self):
        return f"Quote {self.receipt[:12]}"

    @property
    def public_name(self):
        """How the public reads this bidder's name (``tenders.names.public_bidder_name``)."""
        from .names import public_bidder_name

        return public_bidder_name(self)


class FormToken(models.Model):
    """A one-time token of a quote form that was sent: a replayed request finds it here."""

    token = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("used form token")
        verbose_name_plural = _("used form tokens")

    def __str__(self):
        return self.token
