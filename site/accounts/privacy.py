"""Who may see which part of a resident's profile. The one place that decides it.

A viewer stands in one of four relations to the profile's owner:

- ``SELF``: the owner;
- ``CO_MEMBER``: signed in and an active member of an initiative the owner is an active
  member of;
- ``MEMBER``: signed in, sharing no initiative with the owner;
- ``ANONYMOUS``: not signed in.

Being listed as a member of one's initiatives follows the same choice (``listed_visibility``).

A field marked "Everyone" is shown to all four, "Members of my initiatives" to the owner and
co-members, "Only me" to the owner alone. The display name is always public. Pages, feeds
and exports for others are built from ``visible_profiles`` only, never from the model.
"""

import enum
from collections import defaultdict
from dataclasses import dataclass, field

from django.urls import reverse

from .models import PERSONAL_FIELDS, Visibility


class Relation(enum.Enum):
    SELF = "self"
    CO_MEMBER = "co_member"
    MEMBER = "member"
    ANONYMOUS = "anonymous"


ALLOWED = {
    Visibility.PUBLIC: frozenset(Relation),
    Visibility.MEMBERS: frozenset({Relation.SELF, Relation.CO_MEMBER}),
    Visibility.PRIVATE: frozenset({Relation.SELF}),
}


def may_see(visibility, relation):
    # An unknown visibility (there is a constraint against it) shows nothing.
    return relation in ALLOWED.get(visibility, frozenset())


def initiatives_of(user_ids):
    """Active initiative memberships of these users: {user id: {initiative id}} (one query)."""
    from governance.models import Membership

    result = defaultdict(set)
    rows = Membership.objects.filter(user_id__in=set(user_ids), left_at__isnull=True).values_list(
        "user_id", "initiative_id"
    )
    for user_id, initiative_id in rows:
        result[user_id].add(initiative_id)
    return result


@dataclass
class VisibleProfile:
    """What one viewer may see of one profile. Absent fields are simply not there."""

    user_id: int
    display_name: str
    relation: Relation
    fields: dict = field(default_factory=dict)
    avatar_url: str = ""
    listed: bool = False  # may appear, by display name, in the member lists of initiatives

    def __getattr__(self, name):
        # Templates read profile.expertise and get "" when it is not theirs to see.
        if name in PERSONAL_FIELDS:
            return self.fields.get(name, "")
        raise AttributeError(name)

    @property
    def is_self(self):
        return self.relation is Relation.SELF


class ProfileViewer:
    """A viewer, with their own memberships looked up once, for one page of profiles."""

    def __init__(self, viewer):
        self.viewer = viewer if viewer is not None and viewer.is_authenticated else None
        self._initiatives = None

    @property
    def initiatives(self):
        if self._initiatives is None:
            self._initiatives = (
                initiatives_of([self.viewer.pk]).get(self.viewer.pk, set()) if self.viewer else set()
            )
        return self._initiatives

    def relation(self, owner_id, owner_initiatives):
        if self.viewer is None:
            return Relation.ANONYMOUS
        if self.viewer.pk == owner_id:
            return Relation.SELF
        if self.initiatives & owner_initiatives:
            return Relation.CO_MEMBER
        return Relation.MEMBER

    def see(self, profile, owner_initiatives):
        relation = self.relation(profile.user_id, owner_initiatives)
        visible = VisibleProfile(profile.user_id, profile.display_name, relation)
        visible.listed = may_see(profile.listed_visibility, relation)
        for name in PERSONAL_FIELDS:
            if may_see(profile.visibility_of(name), relation):
                value = getattr(profile, name)
                if name == "avatar":
                    if value:
                        visible.fields[name] = True
                        visible.avatar_url = "{}?v={}".format(
                            reverse("accounts:avatar", args=[profile.user_id]),
                            int(profile.updated_at.timestamp()),
                        )
                else:
                    visible.fields[name] = value
        return visible


def visible_profiles(profiles, viewer):
    """Each profile as ``viewer`` may see it; two queries whatever the number of profiles."""
    profiles = list(profiles)
    looker = ProfileViewer(viewer)
    user_ids = [profile.user_id for profile in profiles]
    if looker.viewer is not None:
        user_ids.append(looker.viewer.pk)
    owners = initiatives_of(user_ids)
    if looker.viewer is not None:
        looker._initiatives = owners.get(looker.viewer.pk, set())
    return [looker.see(profile, owners.get(profile.user_id, set())) for profile in profiles]


def visible_profile(profile, viewer):
    return visible_profiles([profile], viewer)[0]


def may_see_field(profile, name, viewer):
    return name in visible_profile(profile, viewer).fields
