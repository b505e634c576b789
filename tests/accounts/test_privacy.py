"""The privacy matrix: each personal field × each visibility × each kind of viewer.

Checked both in the one function that decides (``accounts.privacy``) and on the pages built
from it (the profile page, the avatar, the initiative's member list): a value that a viewer
may not see never appears in what they receive.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.models import PERSONAL_FIELDS, Profile, Visibility
from accounts.privacy import Relation, visible_profile, visible_profiles
from governance import services as governance
from governance.models import Role

pytestmark = pytest.mark.django_db

VIEWERS = ("anonymous", "co_member", "other_member", "self")
EXPECTED = {
    Visibility.PUBLIC: {"anonymous", "co_member", "other_member", "self"},
    Visibility.MEMBERS: {"co_member", "self"},
    Visibility.PRIVATE: {"self"},
}
MARKERS = {
    "expertise": "EXPERTISE-MARKER-heat-pumps",
    "learning_goals": "LEARNING-MARKER-beekeeping",
    "ambitions": "AMBITION-MARKER-car-free-street",
    "neighbourhood": "NEIGHBOURHOOD-MARKER-Lombok",
}


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (48, 48), (200, 10, 10)).save(buffer, "PNG")
    return SimpleUploadedFile("a.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def world(make_initiative, make_resident):
    """An owner and one viewer of each kind; the owner and co-member share initiative A."""
    a = make_initiative(title="Initiative A")
    b = make_initiative(title="Initiative B")
    owner = make_resident(display_name="Owner Public Name")
    co_member = make_resident(display_name="Co Member")
    other = make_resident(display_name="Other Member")
    governance.join(a, owner, Role.FRONTRUNNER)
    governance.join(a, co_member, Role.PARTICIPANT)
    governance.join(b, other, Role.PARTICIPANT)
    profile = owner.profile
    for name, marker in MARKERS.items():
        setattr(profile, name, marker)
    profile.avatar = png()
    profile.listed_visibility = Visibility.PUBLIC
    profile.save()
    return {"a": a, "owner": owner, "profile": profile, "viewers": {"co_member": co_member, "other_member": other, "self": owner}}


def viewer_client(client, world, kind):
    client.logout()
    if kind != "anonymous":
        client.force_login(world["viewers"][kind])
    return client


def test_new_profiles_share_only_the_display_name(make_resident):
    profile = make_resident(display_name="Fresh").profile
    assert {profile.visibility_of(name) for name in PERSONAL_FIELDS} == {Visibility.PRIVATE}
    assert profile.listed_visibility == Visibility.PRIVATE


@pytest.mark.parametrize("visibility", list(Visibility))
@pytest.mark.parametrize("field", PERSONAL_FIELDS)
def test_privacy_matrix(client, world, field, visibility):
    profile = world["profile"]
    for name in PERSONAL_FIELDS:
        setattr(profile, f"{name}_visibility", visibility if name == field else Visibility.PRIVATE)
    profile.save()
    profile = Profile.objects.get(pk=profile.pk)
    owner = world["owner"]

    for kind in VIEWERS:
        allowed = kind in EXPECTED[visibility]
        viewer = world["viewers"].get(kind)
        shown = visible_profile(profile, viewer)
        assert (field in shown.fields) is allowed, (kind, shown.fields)
        # Never more than that field (and only to oneself everything).
        expected_fields = set(PERSONAL_FIELDS) if kind == "self" else ({field} if allowed else set())
        assert set(shown.fields) == expected_fields, (kind, shown.fields)

        c = viewer_client(client, world, kind)
        page = c.get(reverse("accounts:profile", args=[owner.pk])).content.decode()
        assert "Owner Public Name" in page  # the display name is always public
        members = c.get(reverse("accounts:members", args=[world["a"].pk])).content.decode()
        avatar = c.get(reverse("accounts:avatar", args=[owner.pk]))
        if field == "avatar":
            assert (reverse("accounts:avatar", args=[owner.pk]) in page) is allowed, kind
            assert avatar.status_code == (200 if allowed else 404), kind
        else:
            assert (MARKERS[field] in page) is allowed, kind
            if field == "neighbourhood":
                assert (MARKERS[field] in members) is allowed, kind
        for name, marker in MARKERS.items():
            if name != field and kind != "self":
                assert marker not in page and marker not in members, (kind, name)


def test_expertise_and_learning_goals_are_always_on_the_page_and_form(client, world):
    owner = world["owner"]
    page = client.get(reverse("accounts:profile", args=[owner.pk])).content.decode()
    assert "Expertise" in page and "Learning goals" in page
    assert MARKERS["expertise"] not in page
    client.force_login(owner)
    form = client.get(reverse("accounts:profile_edit")).content.decode()
    assert 'name="expertise"' in form and 'name="learning_goals"' in form
    assert 'name="expertise_visibility"' in form and 'name="learning_goals_visibility"' in form


@pytest.mark.parametrize("listed", list(Visibility))
def test_member_list_follows_the_listing_choice(client, world, listed):
    profile = world["profile"]
    profile.listed_visibility = listed
    profile.save()
    for kind in VIEWERS:
        c = viewer_client(client, world, kind)
        members = c.get(reverse("accounts:members", args=[world["a"].pk])).content.decode()
        assert ("Owner Public Name" in members) is (kind in EXPECTED[listed]), kind
        # The head count is public and includes everyone.
        assert 'data-member-count="2"' in members


def test_relations(world):
    owner, co, other = world["owner"], world["viewers"]["co_member"], world["viewers"]["other_member"]
    shown = visible_profiles([owner.profile, co.profile, other.profile], co)
    assert [s.relation for s in shown] == [Relation.CO_MEMBER, Relation.SELF, Relation.MEMBER]


def test_leaving_ends_co_membership(world):
    owner, co = world["owner"], world["viewers"]["co_member"]
    profile = world["profile"]
    profile.expertise_visibility = Visibility.MEMBERS
    profile.save()
    assert "expertise" in visible_profile(profile, co).fields
    governance.leave(world["a"], co)
    assert "expertise" not in visible_profile(profile, co).fields
    assert owner


def test_visible_profiles_query_budget(world, make_resident, django_assert_max_num_queries):
    people = [make_resident().profile for _ in range(20)]
    with django_assert_max_num_queries(1):
        visible_profiles(people, world["viewers"]["co_member"])


def test_private_profile_fields_are_not_in_the_search_index():
    # Profiles are not indexed at all: no model of this app is in Wagtail's search.
    from wagtail.search.index import Indexed

    assert not issubclass(Profile, Indexed)
