"""Governance data: members, proposals, ballots, decisions, their anchoring, and the log.

Models hold data and the invariants the database can enforce. The operations people perform
(join, propose, vote, close, anchor) live in ``governance.services``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    FRONTRUNNER = "frontrunner", _("Frontrunner")
    PARTICIPANT = "participant", _("Participant")
    SUPPORTER = "supporter", _("Supporter")


class Membership(models.Model):
    """A user's membership of an initiative; one row per pair, kept (with ``left_at``) on leaving."""

    initiative = models.ForeignKey(
        "initiatives.InitiativePage",
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="governance_memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "user"], name="governance_one_membership_per_user"),
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="governance_membership_known_role"
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"

    @property
    def is_active(self):
        return self.left_at is None


class ProposalKind(models.TextChoices):
    FOR_AGAINST = "for_against", _("For, against or abstain")
    OPTIONS = "options", _("A choice between options")


FOR, AGAINST, ABSTAIN = 0, 1, 2
FOR_AGAINST_OPTIONS = ["For", "Against", "Abstain"]


class DecisionRule(models.TextChoices):
    SIMPLE_MAJORITY = "simple", _("Simple majority")
    QUALIFIED_MAJORITY = "qualified", _("Qualified majority")
    CONSENSUS = "consensus", _("Consensus (passes unless someone objects)")


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for voting")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class Proposal(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.InitiativePage",
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ProposalKind.choices)
    options = models.JSONField(_("options"), default=list)
    eligible_roles = models.JSONField(_("who may vote"), default=list)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    rule = models.CharField(_("decision rule"), max_length=20, choices=DecisionRule.choices)
    qualified_percent = models.DecimalField(
        _("qualified majority (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    quorum_percent = models.DecimalField(
        _("quorum (% of eligible members)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT
    )
    # The election card (its StreamField block id on the initiative page) this vote runs.
    election_block_id = models.CharField(max_length=64, blank=True, db_index=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)
    # Hash of the rules when voting opened; closing refuses if the rules no longer match it.
    rules_hash = models.CharField(max_length=66, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    # A vote another app starts (``external_votes``) may carry what each option stands for
    # (one text per option) beyond its public label, and may keep its options and tally to the
    # people who vote on it: a tender's quotes are not everyone's to read. Details never enter
    # the decision record, the API or the log; see ``visibility.sees_options``.
    option_details = models.JSONField(_("what each option stands for"), default=list, blank=True)
    options_restricted = models.BooleanField(
        _("options shown only to those who vote and the frontrunners"), default=False
    )

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="governance_proposal_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=~Q(rule="qualified") | Q(qualified_percent__gt=50, qualified_percent__lte=100),
                name="governance_proposal_qualified_percent",
            ),
            models.CheckConstraint(
                condition=Q(quorum_percent__isnull=True) | Q(quorum_percent__gt=0, quorum_percent__lte=100),
                name="governance_proposal_quorum_percent",
            ),
            # One vote per election card: the card is the vote.
            models.UniqueConstraint(
                fields=["initiative", "election_block_id"],
                condition=~Q(election_block_id=""),
                name="governance_one_vote_per_card",
            ),
        ]

    def __str__(self):
        return self.title

    def is_accepting_ballots(self, now=None):
        now = now or timezone.now()
        return self.status == ProposalStatus.OPEN and self.opens_at <= now < self.closes_at


class Ballot(models.Model):
    """One member's vote. The choice never leaves the server except in the tally."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="ballots")
    # Emptied when the voter deletes their account: a counted ballot stays in the tally and
    # in the anchored receipts root, no longer linked to anyone.
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="governance_ballots",
    )
    choice = models.PositiveSmallIntegerField()
    # sha256 of the voter's receipt code: finds the ballot without storing the code.
    receipt_lookup = models.CharField(max_length=64, unique=True)
    # Merkle leaf: keccak of (proposal, receipt code, choice); reveals nothing without the code.
    leaf = models.CharField(max_length=66)
    revision = models.PositiveIntegerField(default=1)
    counted = models.BooleanField(default=False)
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "voter"], name="governance_one_ballot_per_member"),
        ]

    def __str__(self):
        return f"Ballot {self.pk} on {self.proposal_id}"


class Decision(models.Model):
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="decision")
    tally = models.JSONField()
    passed = models.BooleanField()
    winning_option = models.SmallIntegerField(null=True, blank=True)
    rule = models.CharField(max_length=20, choices=DecisionRule.choices)
    quorum_reached = models.BooleanField()
    eligible_count = models.PositiveIntegerField()
    ballot_count = models.PositiveIntegerField()
    receipts_root = models.CharField(max_length=66)
    # The canonical record and its keccak256; the hash is what the contract holds.
    record = models.JSONField()
    record_hash = models.CharField(max_length=66, unique=True)
    closed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-closed_at"]

    def __str__(self):
        return f"Decision on {self.proposal}"


class DeploymentStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for the chain")
    SENT = "sent", _("Sent, waiting for confirmation")
    CONFIRMED = "confirmed", _("Recorded on the chain")
    FAILED = "failed", _("Failed (needs attention)")


class Deployment(models.Model):
    """The outbox row and, once confirmed, the on-chain record of a decision.

    The signed transaction is stored before it is sent, so a worker that dies at any step
    resumes with the same transaction (same nonce, same hash) instead of signing a second one.
    """

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="deployment")
    status = models.CharField(
        max_length=10, choices=DeploymentStatus.choices, default=DeploymentStatus.WAITING
    )
    chain_id = models.BigIntegerField(null=True, blank=True)
    sender = models.CharField(max_length=42, blank=True)
    nonce = models.PositiveBigIntegerField(null=True, blank=True)
    raw_transaction = models.TextField(blank=True)
    tx_hash = models.CharField(max_length=66, blank=True, db_index=True)
    contract_address = models.CharField(max_length=42, blank=True)
    block_number = models.PositiveBigIntegerField(null=True, blank=True)
    gas_used = models.PositiveBigIntegerField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # Times a chain reorganisation dropped the confirmed transaction (it was sent again).
    reorgs = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    leased_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="confirmed")
                | (~Q(tx_hash="") & ~Q(contract_address="") & Q(block_number__isnull=False)),
                name="governance_confirmed_deployment_is_complete",
            ),
        ]

    def __str__(self):
        return f"Deployment of {self.decision_id} ({self.status})"


# The mismatch a check records when the node did not answer; nothing on the chain was compared.
CHAIN_UNREACHABLE = "the chain could not be reached"


class DeploymentVerification(models.Model):
    """The latest comparison of a deployment with the chain, one row per deployment.

    Written by the ``verify_deployments`` command and task; the public decisions page only
    reads it, so no web request waits on the chain. ``mismatches`` are the checker's own
    (English) sentences; empty means the chain and the database agree.
    """

    deployment = models.OneToOneField(
        Deployment, on_delete=models.CASCADE, related_name="verification"
    )
    checked_at = models.DateTimeField(_("checked at"))
    ok = models.BooleanField(_("matches the chain"))
    # False when the node could not be reached: then nothing on the chain was compared.
    chain_reached = models.BooleanField(_("chain reached"), default=True)
    mismatches = models.JSONField(_("mismatches"), default=list, blank=True)
    chain_id = models.BigIntegerField(_("chain id seen"), null=True, blank=True)
    block_number = models.PositiveBigIntegerField(_("block number seen"), null=True, blank=True)

    class Meta:
        verbose_name = _("deployment verification")
        verbose_name_plural = _("deployment verifications")
        constraints = [
            models.CheckConstraint(
                condition=Q(ok=False) | Q(chain_reached=True),
                name="governance_verification_ok_needs_the_chain",
            ),
        ]

    def __str__(self):
        return f"Verification of {self.deployment_id} ({'ok' if self.ok else 'mismatch'})"

    @property
    def differences(self):
        """The mismatches found, leaving out that the chain could not be reached."""
        return [mismatch for mismatch in self.mismatches if mismatch != CHAIN_UNREACHABLE]


class LogEntry(models.Model):
    """One link of an initiative's hash-chained governance log. Never updated, never deleted."""

    initiative = models.ForeignKey(
        "initiatives.InitiativePage", on_delete=models.CASCADE, related_name="governance_log"
    )
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=40)
    payload = models.JSONField(default=dict)
    # 16 random bytes (hex) mixed into the payload's digest, so that a digest of a payload
    # naming member 42 cannot be found by trying every member (``services.log.payload_digest``).
    salt = models.CharField(max_length=32)
    payload_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # The hash this entry had under the first format (payload hashed as such), for entries
    # written before payload digests; never published. See migration 0007.
    v1_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("governance log entry")
        verbose_name_plural = _("governance log entries")
        ordering = ["initiative", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "seq"], name="governance_log_one_seq"),
        ]

    def __str__(self):
        return f"{self.initiative_id}#{self.seq} {self.kind}"


class FollowUpStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class DecisionUpdate(models.Model):
    """A frontrunner's public status update on what became of a decision (its follow-up).

    Appended to the governance log when posted; never edited afterwards.
    """

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="updates")
    status = models.CharField(_("status"), max_length=20, choices=FollowUpStatus.choices)
    date = models.DateField(_("date"))
    text = models.TextField(_("text"), max_length=4000)
    link = models.URLField(_("link"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("decision update")
        verbose_name_plural = _("decision updates")
        ordering = ["date", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=FollowUpStatus.values), name="governance_update_known_status"
            ),
        ]

    def __str__(self):
        return f"{self.get_status_display()} ({self.date})"
