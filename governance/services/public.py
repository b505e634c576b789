"""What anyone may see of a decision: tallies (after closing) and how to check them."""

from django.core.exceptions import ObjectDoesNotExist

from .. import contracts
from ..models import Decision, DeploymentStatus, ProposalStatus


def decision_summary(proposal, decision=None, *, sees_options=None):
    """Public facts about a closed proposal, or None while voting is open (no early tallies).

    A vote whose options are restricted (``Proposal.options_restricted``) has its options,
    tally and record left out (``"options": []``, ``"record": None``, ``"restricted": True``)
    unless ``sees_options`` is True (the viewer is entitled, see ``governance.visibility``);
    its decision hash and anchoring stay public.

    Everything a visitor needs to check the decision independently is included: the
    canonical record (its keccak256 is on the chain), the chain, transaction, contract
    address and block, and the contract's ABI to read it with. Pass the ``decision`` (with
    its deployment selected) when it is already loaded, to summarise many without a query each.
    """
    if proposal.status != ProposalStatus.CLOSED:
        return None
    if decision is None:
        decision = Decision.objects.select_related("deployment").get(proposal=proposal)
    deployment = getattr(decision, "deployment", None)
    hidden = proposal.options_restricted and not sees_options
    summary = {
        "proposal": str(proposal.uuid),
        "title": proposal.title,
        "options": [
            {"label": label, "votes": votes}
            for label, votes in zip(proposal.options, decision.tally, strict=True)
        ]
        if not hidden
        else [],
        "restricted": hidden,
        "passed": decision.passed,
        "winning_option": None if hidden else decision.winning_option,
        "rule": decision.get_rule_display(),
        "quorum_reached": decision.quorum_reached,
        "eligible_count": decision.eligible_count,
        "ballot_count": decision.ballot_count,
        "record": None if hidden else decision.record,
        "record_hash": decision.record_hash,
        "receipts_root": decision.receipts_root,
        "closed_at": decision.closed_at,
        "anchor_status": deployment.status if deployment else DeploymentStatus.WAITING,
        # Times a chain reorganisation dropped the transaction (it was sent again each time).
        "reorgs": deployment.reorgs if deployment else 0,
        "anchor_status_label": (
            deployment.get_status_display() if deployment else DeploymentStatus.WAITING.label
        ),
    }
    if deployment is not None and deployment.status == DeploymentStatus.CONFIRMED:
        summary.update(
            chain_id=deployment.chain_id,
            tx_hash=deployment.tx_hash,
            contract_address=deployment.contract_address,
            block_number=deployment.block_number,
            contract_abi=contracts.artifact()["abi"],
            contract_compiler=contracts.artifact()["compiler"],
        )
    return summary


def latest_verification(decision):
    """The stored outcome of the last check of the decision's contract against the chain.

    None while the decision is not on the chain or has not been checked yet. Reads only what
    the ``verify_deployments`` command or task stored (select ``deployment__verification``
    to summarise many decisions without a query each): a page never asks the chain.
    """
    deployment = getattr(decision, "deployment", None)
    if deployment is None or deployment.status != DeploymentStatus.CONFIRMED:
        return None
    try:
        return deployment.verification
    except ObjectDoesNotExist:
        return None
