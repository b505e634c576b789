"""How a bidder is named where the public reads it: the winner on the card, in the API, in
the anchored award and in the e-mails to the other bidders.

A business is named by its organisation's name. A resident who bids as a person is named by
the public name of their profile, never by an e-mail address (an account without a display
name of its own falls back to one in places meant for the person themself); "a resident" when
there is no such name. Losing bidders are never named in public at all.
"""

import re

from django.utils.translation import gettext_lazy as _

# Anything with an @ between non-blank characters reads as an e-mail address: refuse it whole
# rather than guess which part is the name.
_LOOKS_LIKE_EMAIL = re.compile(r"\S@\S")


def looks_like_email(text):
    return bool(_LOOKS_LIKE_EMAIL.search(text or ""))


def person_name(user):
    """The public name of ``user``'s profile to put on a quote they send as a resident, or ""
    (no profile, or a name that is an e-mail address)."""
    profile = getattr(user, "profile", None) if getattr(user, "pk", None) else None
    name = (getattr(profile, "display_name", "") or "").strip()
    return "" if looks_like_email(name) else name


def public_bidder_name(quote):
    """The name the public reads for the bidder of opened ``quote`` (a ``Quote`` with its
    organisation selected, or at hand): the organisation's current name, else the name sent
    with the quote unless it is empty or an e-mail address, else "a resident"."""
    organisation = quote.organisation if quote.organisation_id else None
    if organisation is not None and organisation.name.strip():
        return organisation.name.strip()
    name = (quote.bidder_name or "").strip()
    if name and not looks_like_email(name):
        return name
    return str(_("a resident"))
