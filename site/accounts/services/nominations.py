"""Naming a neighbour as an initiative's ambassador or as an authority on a topic."""

import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from ..exceptions import AccountsError, AlreadyNominated, NotAllowed
from ..models import Nomination, NominationKind


def _require_member(initiative, user):
    from governance.services import active_membership

    if active_membership(initiative.pk, user) is None:
        raise NotAllowed(_("Only members of this initiative can nominate."))


def normal_topic(text):
    """A topic as stored and compared: Unicode NFKC, trimmed, case-folded, at most 60 characters."""
    return unicodedata.normalize("NFKC", str(text or "")).strip().casefold()[:60]


def nominate(initiative, nominator, nominee, kind, topic=""):
    """Record ``nominator``'s nomination of ``nominee``; one per person, kind and topic."""
    _require_member(initiative, nominator)
    if kind not in NominationKind.values:
        raise AccountsError(_("Unknown kind of nomination."))
    # The same normal form as the nomination form (NFKC, trimmed, case-folded), so "Ｓｏｌａｒ"
    # from an import and "solar" from the form are one topic for the unique constraint.
    topic = normal_topic(topic) if kind == NominationKind.AUTHORITY else ""
    if kind == NominationKind.AUTHORITY and not topic:
        raise AccountsError(_("Name the topic this person is an authority on."))
    if nominee.pk == nominator.pk:
        raise AccountsError(_("You cannot nominate yourself."))
    if not nominee.is_active:
        raise AccountsError(_("This person cannot be nominated."))
    try:
        # The unique constraint is the judge, also for two submissions at once.
        with transaction.atomic():
            return Nomination.objects.create(
                initiative=initiative, nominator=nominator, nominee=nominee, kind=kind, topic=topic
            )
    except IntegrityError:
        raise AlreadyNominated() from None


def withdraw(nomination_id, user):
    """The nominator withdraws their own nomination."""
    deleted, _details = Nomination.objects.filter(pk=nomination_id, nominator=user).delete()
    if not deleted:
        raise NotAllowed(_("There is no such nomination of yours."))


@dataclass
class NominationCounts:
    ambassador: int = 0
    authorities: dict = field(default_factory=dict)  # topic -> count


def counts_for_user(user, initiatives=None):
    """How often this person was nominated: as ambassador and per topic, in any initiative,
    or only in ``initiatives`` (a queryset of initiative pages) when given."""
    counts = NominationCounts()
    nominations = Nomination.objects.filter(nominee=user)
    if initiatives is not None:
        nominations = nominations.filter(initiative__in=initiatives)
    rows = (
        nominations
        .values("kind", "topic")
        .annotate(n=Count("pk"))
        .order_by("kind", "topic")
    )
    for row in rows:
        if row["kind"] == NominationKind.AMBASSADOR:
            counts.ambassador += row["n"]
        else:
            counts.authorities[row["topic"]] = row["n"]
    return counts


def counts_for_initiative(initiative):
    """Nominees of this initiative with their counts: ambassadors, and authorities per topic.

    Returns ``{"ambassadors": [(user, n)], "authorities": {topic: [(user, n)]}}``, most
    nominated first; people are named by display name only (always public).
    """
    rows = list(
        Nomination.objects.filter(initiative=initiative)
        .values("nominee_id", "kind", "topic")
        .annotate(n=Count("pk"))
    )
    users = get_user_model().objects.select_related("profile").in_bulk(
        {row["nominee_id"] for row in rows}
    )
    ambassadors = Counter()
    authorities = {}
    for row in rows:
        user = users[row["nominee_id"]]
        if row["kind"] == NominationKind.AMBASSADOR:
            ambassadors[user] += row["n"]
        else:
            authorities.setdefault(row["topic"], Counter())[user] += row["n"]

    def ordered(counter):
        return sorted(counter.items(), key=lambda item: (-item[1], item[0].pk))

    return {
        "ambassadors": ordered(ambassadors),
        "authorities": {topic: ordered(c) for topic, c in sorted(authorities.items())},
    }
