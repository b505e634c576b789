"""A test client signed in the way the product signs people in."""

from django.test import Client

from accounts.signin_gate import mark_signed_in


class SignedInClient(Client):
    """Django's test client whose ``force_login`` leaves the session as allauth's completed
    flow does (password and second factor passed), so the sign-in gate accepts it.

    Tests of the gate itself use a plain ``django.test.Client``.
    """

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        session = self.session
        mark_signed_in(session, user, second_factor=True)
        session.save()


def session_cookie(user):
    """The session cookie value of ``user`` signed in as above, for a browser script."""
    from django.conf import settings

    client = SignedInClient()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value
