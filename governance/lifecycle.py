"""Governance follows election cards through the ``card_lifecycle`` hook of ``blocks``.

The page form asks :meth:`VoteLifecycle.check` before storing cards, publishing calls
:meth:`VoteLifecycle.published`, and the admin (and scheduled expiry) ask
:meth:`VoteLifecycle.refusals` before unpublishing, deleting or moving pages, with the
descendants the action reaches. The rules themselves live in ``services.card_votes``.
"""

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from blocks.lifecycle import DELETE, CardLifecycle

from .models import Decision, Proposal, ProposalStatus
from .services import card_votes


def _field_error(name, message):
    if name == "options":
        return ListBlockValidationError(non_block_errors=[ValidationError(message)])
    return ValidationError(message)


class VoteLifecycle(CardLifecycle):
    def check(self, page, cards):
        proposals = card_votes.card_proposals(page.pk)
        if not proposals:
            return {}, []
        now = timezone.now()
        errors, present = {}, set()
        for index, child in enumerate(cards):
            if not card_votes.is_election(child) or not child.id:
                continue
            present.add(child.id)
            proposal = proposals.get(child.id)
            if proposal is None or proposal.status == ProposalStatus.CANCELLED:
                continue
            if not card_votes.is_frozen(proposal, now):
                continue
            changed = card_votes.frozen_changes(proposal, child.value)
            if changed:
                message = card_votes.frozen_message(proposal, changed)
                errors[index] = StructBlockValidationError(
                    block_errors={name: _field_error(name, message) for name in changed}
                )
        removed = [
            card_votes.removal_message(proposal)
            for block_id, proposal in proposals.items()
            if block_id not in present and card_votes.is_running(proposal, now)
        ]
        return errors, removed

    def published(self, page, user=None):
        card_votes.sync_page(page, user)

    def expiry_refusals(self, page, cards, expire_at):
        """A page may not expire before a vote on it has ended (nor one it is about to create)."""
        proposals = card_votes.card_proposals(page.pk)
        found = []
        for child in cards:
            if not card_votes.is_election(child):
                continue
            proposal = proposals.get(child.id)
            if proposal is not None and proposal.status in (ProposalStatus.CLOSED, ProposalStatus.CANCELLED):
                continue
            closes_at = proposal.closes_at if proposal is not None else child.value.get("closes_at")
            if closes_at and closes_at > expire_at:
                found.append(
                    _("The vote “%(question)s” closes at %(closes)s: the page cannot expire before then. Set a later expiry time, or have a frontrunner cancel the vote first.")
                    % {
                        "question": proposal.title if proposal is not None else child.value.get("question"),
                        "closes": formats.date_format(timezone.localtime(closes_at), "DATETIME_FORMAT"),
                    }
                )
        return found

    def refusals(self, pages, action):
        now = timezone.now()
        votes = (
            Proposal.objects.filter(initiative__in=pages.values("pk"))
            .exclude(election_block_id="")
            .filter(status__in=(ProposalStatus.DRAFT, ProposalStatus.OPEN), opens_at__lte=now)
            .select_related("initiative")
            .only("title", "status", "opens_at", "initiative__title")
            .order_by("initiative__path", "pk")
        )
        found = [
            _("“%(page)s” has a vote that is open (“%(question)s”): a frontrunner must cancel it first.")
            % {"page": vote.initiative.title, "question": vote.title}
            for vote in votes
            if card_votes.is_running(vote, now)
        ]
        if action == DELETE:
            decided = (
                Decision.objects.filter(proposal__initiative__in=pages.values("pk"))
                .values_list("proposal__initiative__title", flat=True)
                .distinct()
            )
            found.extend(
                _("“%(page)s” has decisions on record; they stay public, so the page cannot be deleted. Unpublish it instead.")
                % {"page": title}
                for title in decided
            )
        return found
