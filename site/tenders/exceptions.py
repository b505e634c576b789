"""Domain errors of the tenders app.

Each carries a message meant for the person who caused it; views show ``str(error)``. Every
service raises before it writes, so an error always means "nothing changed".
"""

from django.utils.translation import gettext_lazy as _


class TenderError(Exception):
    default_message = _("This is not possible for this tender.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class TenderNotFound(TenderError):
    default_message = _("This tender does not exist (any more). Check the link you followed.")


class NotAcceptingQuotes(TenderError):
    default_message = _("This tender no longer takes quotes.")


class DeadlinePassed(NotAcceptingQuotes):
    default_message = _("The deadline for quotes has passed; your quote was not stored.")


class InvalidQuote(TenderError):
    default_message = _("The quote is not valid.")


class ReplayedRequest(TenderError):
    default_message = _(
        "This form was already sent once, so it was not stored again. Open the tender to see "
        "your current quote."
    )


class NotAllowed(TenderError):
    default_message = _("You are not allowed to do this.")


class NoQuote(TenderError):
    default_message = _("You have no active quote on this tender.")


class DeadlineNotExtendable(TenderError):
    default_message = _("A deadline can only be moved later, and only before it has passed.")


class NotOpenedYet(TenderError):
    default_message = _("The quotes have not been opened yet.")


class AlreadyAwarded(TenderError):
    default_message = _("This tender has already been awarded.")


class AwardVoteRunning(TenderError):
    default_message = _(
        "The members are voting on this award. Wait for the vote to close, or cancel the vote "
        "on its page first."
    )


class VoteNotPossible(TenderError):
    default_message = _("This award cannot be put to a vote now.")
