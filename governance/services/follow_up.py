"""After the decision, in public and in the log: frontrunners post what became of it, and
officials of a municipality or organisation respond to it."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..exceptions import GovernanceError, NotAllowed
from ..models import DecisionUpdate, FollowUpStatus, Official, OfficialResponse
from . import log
from .card_votes import may_manage

MAX_TEXT = 4000


def post_update(decision, user, *, status, date, text, link="", now=None):
    """A frontrunner of the initiative (or a site admin) adds a status update to a decision.

    ``status`` is one of ``FollowUpStatus``; ``date`` a ``datetime.date`` (or ISO text);
    ``link`` an optional http(s) address. Raises ``GovernanceError`` and stores nothing on
    bad input; the update is appended to the initiative's governance log.
    """
    now = now or timezone.now()
    initiative_id = decision.proposal.initiative_id
    if not may_manage(initiative_id, user):
        raise NotAllowed(_("Only a frontrunner of this initiative can post updates on its decisions."))
    if status not in FollowUpStatus.values:
        raise GovernanceError(_("Choose one of the statuses."))
    if isinstance(date, str):
        try:
            date = datetime.date.fromisoformat(date.strip())
        except ValueError:
            raise GovernanceError(_("Give the date as a calendar date.")) from None
    if not isinstance(date, datetime.date):
        raise GovernanceError(_("Give the date as a calendar date."))
    text = (text or "").strip()
    if not text:
        raise GovernanceError(_("Write what happened."))
    if len(text) > MAX_TEXT:
        raise GovernanceError(_("Keep the update under %(max)s characters.") % {"max": MAX_TEXT})
    link = _clean_link(link)
    with transaction.atomic():
        update = DecisionUpdate.objects.create(
            decision=decision, status=status, date=date, text=text, link=link, author=user, created_at=now
        )
        log.append(
            initiative_id,
            "decision.update",
            {
                "decision_hash": decision.record_hash,
                "status": status,
                "date": date.isoformat(),
                "text": text,
                "link": link,
                "by": user.pk,
            },
            at=now,
        )
    return update


def _clean_link(link):
    link = (link or "").strip()
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            raise GovernanceError(_("The link must be a web address (https://…).")) from None
    return link


def official_of(user):
    """The ``Official`` row of ``user`` (marked by a site admin), or None."""
    if user is None or not user.is_authenticated:
        return None
    return Official.objects.filter(user=user).first()


def post_official_response(decision, user, *, text, link="", now=None):
    """An official (an account a site admin marked as speaking for a municipality or an
    organisation) responds to a decision; shown as official, with the organisation's name.

    Raises ``NotAllowed`` for anyone else and ``GovernanceError`` for an empty or too long
    text or a link that is not a web address; nothing is stored then. Appended to the log.
    """
    now = now or timezone.now()
    official = official_of(user)
    if official is None:
        raise NotAllowed(_("Only accounts a site admin marked as an official can post official responses."))
    text = (text or "").strip()
    if not text:
        raise GovernanceError(_("Write the response."))
    if len(text) > MAX_TEXT:
        raise GovernanceError(_("Keep the response under %(max)s characters.") % {"max": MAX_TEXT})
    link = _clean_link(link)
    with transaction.atomic():
        response = OfficialResponse.objects.create(
            decision=decision, organisation=official.organisation, text=text, link=link, author=user, created_at=now
        )
        log.append(
            decision.proposal.initiative_id,
            "decision.official_response",
            {
                "decision_hash": decision.record_hash,
                "organisation": official.organisation,
                "text": text,
                "link": link,
                "by": user.pk,
            },
            at=now,
        )
    return response
