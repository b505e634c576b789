"""Errors of the accounts app; each message is meant for the person who caused it."""

from django.utils.translation import gettext_lazy as _


class AccountsError(Exception):
    default_message = _("This is not possible.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class NotAllowed(AccountsError):
    default_message = _("You are not allowed to do this.")


class AlreadyNominated(AccountsError):
    default_message = _("You have already nominated this person for this.")


class CannotDelete(AccountsError):
    default_message = _("Your account cannot be deleted right now.")
