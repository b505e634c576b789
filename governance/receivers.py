"""What governance announces to the pages: an election card shows its vote live, so a vote
opening, closing or being cancelled, its decision being anchored (the card says where it
stands on the chain) and a follow-up posted on it change what visitors see of the initiative
without anyone publishing it. Each is announced (``blocks.signals.announce_changed``) once the
change commits, and the caches purge that initiative's pages. Ballots are not: an open vote
shows no running count."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from blocks.signals import announce_changed

from .models import Decision, DecisionUpdate, Deployment, Proposal


@receiver(post_save, sender=Proposal, dispatch_uid="governance.proposal_shown")
def proposal_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        announce_changed([instance.initiative_id])


@receiver(post_save, sender=Decision, dispatch_uid="governance.decision_shown")
def decision_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        announce_changed(Proposal.objects.filter(pk=instance.proposal_id).values_list("initiative_id", flat=True))


@receiver(post_save, sender=Deployment, dispatch_uid="governance.anchoring_shown")
def anchoring_changed(sender, instance, raw=False, update_fields=None, **kwargs):
    # The card shows the deployment's status only; retries and leases change nothing visible.
    if raw or (update_fields is not None and "status" not in update_fields):
        return
    announce_changed(
        Proposal.objects.filter(decision__pk=instance.decision_id).values_list("initiative_id", flat=True)
    )


@receiver(post_save, sender=DecisionUpdate, dispatch_uid="governance.follow_up_shown")
@receiver(post_delete, sender=DecisionUpdate, dispatch_uid="governance.follow_up_gone")
def follow_up_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        announce_changed(
            Proposal.objects.filter(decision__pk=instance.decision_id).values_list("initiative_id", flat=True)
        )
