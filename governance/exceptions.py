"""Domain errors of the governance app.

Each carries a message meant for the person who caused it; views show ``str(error)``. Every
service raises before it writes, so an error always means "nothing changed".
"""

from django.utils.translation import gettext_lazy as _


class GovernanceError(Exception):
    default_message = _("This governance action is not possible.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class NotAMember(GovernanceError):
    default_message = _("Only members of this initiative can do this.")


class AlreadyAMember(GovernanceError):
    default_message = _("You are already a member of this initiative.")


class NotAllowed(GovernanceError):
    default_message = _("Your role in this initiative does not allow this.")


class NotEligible(GovernanceError):
    default_message = _("Your role in this initiative does not give a vote on this proposal.")


class InvalidProposal(GovernanceError):
    default_message = _("The proposal is not valid.")


class RulesFrozen(GovernanceError):
    default_message = _("Voting has opened, so the rules of this proposal can no longer change.")


class ProposalNotOpen(GovernanceError):
    default_message = _("This proposal is not open for voting.")


class ProposalClosed(ProposalNotOpen):
    default_message = _("Voting on this proposal has closed.")


class ProposalCancelled(ProposalNotOpen):
    default_message = _("This vote was cancelled.")


class NotDueYet(GovernanceError):
    default_message = _("This proposal cannot be closed before its closing time.")


class InvalidChoice(GovernanceError):
    default_message = _("That is not one of the options of this proposal.")


class ReplayedRequest(GovernanceError):
    default_message = _(
        "This vote was already submitted or your ballot changed since; reload the page and vote again."
    )


class UnknownReceipt(GovernanceError):
    default_message = _("No counted ballot has this receipt code.")


class LogTampered(GovernanceError):
    default_message = _("The governance log has been altered.")

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))
