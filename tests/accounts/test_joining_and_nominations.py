"""Joining an initiative in one step, frontrunners appointed by frontrunners, nominations."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts import services
from accounts.exceptions import AccountsError, AlreadyNominated, NotAllowed
from accounts.models import Nomination, Visibility
from governance import services as governance
from governance.models import LogEntry, Membership, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def park(make_initiative):
    return make_initiative(title="Park redesign")


def test_join_in_one_post(client, park, make_resident):
    resident = make_resident()
    client.force_login(resident)
    page = client.get(reverse("accounts:members", args=[park.pk])).content.decode()
    assert "data-join-form" in page and 'value="frontrunner"' not in page
    response = client.post(reverse("accounts:join", args=[park.pk]), {"role": "supporter"})
    assert response.status_code == 302
    membership = Membership.objects.get(initiative=park, user=resident)
    assert membership.role == Role.SUPPORTER and membership.left_at is None
    assert LogEntry.objects.filter(initiative=park, payload__kind="member.joined").count() == 1
    # Joining twice: a clear message, nothing changes.
    response = client.post(reverse("accounts:join", args=[park.pk]), {"role": "participant"}, follow=True)
    assert b"already a member" in response.content
    assert Membership.objects.get(initiative=park, user=resident).role == Role.SUPPORTER


def test_joining_needs_csrf_and_a_signed_in_resident(park, make_resident):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    resident = make_resident()
    strict.force_login(resident)
    assert strict.post(reverse("accounts:join", args=[park.pk]), {"role": "participant"}).status_code == 403
    anonymous = Client()
    response = anonymous.post(reverse("accounts:join", args=[park.pk]), {"role": "participant"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert not Membership.objects.filter(initiative=park).exists()
    assert Client().get(reverse("accounts:join", args=[park.pk])).status_code in (302, 405)


@pytest.mark.parametrize("role", ["frontrunner", "boss", ""])
def test_nobody_joins_as_frontrunner_or_unknown_role(client, park, make_resident, role):
    resident = make_resident()
    client.force_login(resident)
    client.post(reverse("accounts:join", args=[park.pk]), {"role": role})
    assert not Membership.objects.filter(initiative=park, user=resident).exists()
    with pytest.raises(NotAllowed):
        services.join_initiative(park, resident, Role.FRONTRUNNER)


def test_join_keeps_the_visitor_on_their_domain(client, park, make_resident):
    from initiatives.models import InitiativeDomain

    InitiativeDomain.objects.create(hostname="park.example", initiative=park)
    client.force_login(make_resident())
    response = client.post(
        reverse("accounts:join", args=[park.pk]),
        {"role": "participant", "next": "http://park.example/"},
        HTTP_HOST="park.example",
    )
    assert response["Location"] == "http://park.example/"
    response = client.post(
        reverse("accounts:leave", args=[park.pk]), {"next": "https://evil.example/"}, HTTP_HOST="park.example"
    )
    assert response["Location"] == reverse("accounts:members", args=[park.pk])


def test_frontrunners_appoint_frontrunners(client, park, make_resident):
    chair, member, other = make_resident(), make_resident(), make_resident()
    governance.join(park, chair, Role.FRONTRUNNER)
    governance.join(park, member, Role.PARTICIPANT)
    governance.join(park, other, Role.PARTICIPANT)
    url = reverse("accounts:appoint_frontrunner", args=[park.pk, member.pk])
    client.force_login(other)
    client.post(url)
    assert Membership.objects.get(initiative=park, user=member).role == Role.PARTICIPANT
    client.force_login(chair)
    assert client.post(url).status_code == 302
    assert Membership.objects.get(initiative=park, user=member).role == Role.FRONTRUNNER


def test_leave(client, park, make_resident):
    resident = make_resident()
    governance.join(park, resident, Role.PARTICIPANT)
    client.force_login(resident)
    client.post(reverse("accounts:leave", args=[park.pk]))
    assert Membership.objects.get(initiative=park, user=resident).left_at is not None


def test_members_are_listed_by_their_choice(client, park, make_resident):
    shy, open_ = make_resident(display_name="Shy Neighbour"), make_resident(display_name="Open Neighbour")
    governance.join(park, shy, Role.PARTICIPANT)
    governance.join(park, open_, Role.SUPPORTER)
    open_.profile.listed_visibility = Visibility.PUBLIC
    open_.profile.save()
    page = client.get(reverse("accounts:members", args=[park.pk])).content.decode()
    assert "Open Neighbour" in page and "Shy Neighbour" not in page
    assert 'data-member-count="2"' in page


# --- nominations ------------------------------------------------------------------------


@pytest.fixture
def neighbours(park, make_resident):
    chair, ann, bob = make_resident(display_name="Chair"), make_resident(display_name="Ann"), make_resident(display_name="Bob")
    governance.join(park, chair, Role.FRONTRUNNER)
    governance.join(park, ann, Role.PARTICIPANT)
    return {"chair": chair, "ann": ann, "bob": bob}


def test_nominate_count_and_withdraw(client, park, neighbours):
    chair, ann, bob = neighbours["chair"], neighbours["ann"], neighbours["bob"]
    services.nominate(park, chair, bob, "ambassador")
    services.nominate(park, ann, bob, "ambassador")
    services.nominate(park, ann, bob, "authority", "  Jeu de Boules ")
    services.nominate(park, chair, bob, "authority", "energy")
    counts = services.counts_for_user(bob)
    assert counts.ambassador == 2 and counts.authorities == {"energy": 1, "jeu de boules": 1}
    on_park = services.counts_for_initiative(park)
    assert on_park["ambassadors"] == [(bob, 2)]
    assert set(on_park["authorities"]) == {"energy", "jeu de boules"}
    profile_page = client.get(reverse("accounts:profile", args=[bob.pk])).content.decode()
    assert "Ambassador: 2 nominations" in profile_page and "Authority on jeu de boules: 1 nomination" in profile_page
    members_page = client.get(reverse("accounts:members", args=[park.pk])).content.decode()
    assert f'data-ambassador="{bob.pk}"' in members_page and "2 nominations" in members_page
    nomination = Nomination.objects.get(nominator=ann, kind="ambassador")
    client.force_login(chair)
    client.post(reverse("accounts:withdraw_nomination", args=[nomination.pk]))
    assert Nomination.objects.filter(pk=nomination.pk).exists()  # not chair's to withdraw
    client.force_login(ann)
    client.post(reverse("accounts:withdraw_nomination", args=[nomination.pk]))
    assert not Nomination.objects.filter(pk=nomination.pk).exists()
    assert services.counts_for_user(bob).ambassador == 1


def test_one_nomination_per_member_person_and_topic(park, neighbours):
    chair, bob = neighbours["chair"], neighbours["bob"]
    services.nominate(park, chair, bob, "authority", "Energy")
    with pytest.raises(AlreadyNominated):
        services.nominate(park, chair, bob, "authority", "energy")
    with pytest.raises(AlreadyNominated):  # full-width letters and spaces: the same topic (NFKC)
        services.nominate(park, chair, bob, "authority", " ＥＮＥＲＧＹ\u00a0")
    services.nominate(park, chair, bob, "ambassador")
    with pytest.raises(AlreadyNominated):
        services.nominate(park, chair, bob, "ambassador")
    assert Nomination.objects.count() == 2
    # The database itself refuses a second one, and a self-nomination, and a topic-less authority.
    for values in (
        {"nominator": chair, "nominee": bob, "kind": "ambassador", "topic": ""},
        {"nominator": chair, "nominee": chair, "kind": "ambassador", "topic": ""},
        {"nominator": chair, "nominee": bob, "kind": "authority", "topic": ""},
        {"nominator": chair, "nominee": bob, "kind": "ambassador", "topic": "x"},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Nomination.objects.create(initiative=park, **values)


def test_only_members_nominate_and_not_themselves(park, neighbours):
    bob, ann = neighbours["bob"], neighbours["ann"]
    with pytest.raises(NotAllowed):
        services.nominate(park, bob, ann, "ambassador")
    with pytest.raises(AccountsError):
        services.nominate(park, ann, ann, "ambassador")
    with pytest.raises(AccountsError):
        services.nominate(park, ann, bob, "authority", "   ")
    assert not Nomination.objects.exists()


def test_nomination_form_errors_store_nothing(client, park, neighbours):
    client.force_login(neighbours["ann"])
    url = reverse("accounts:nominate", args=[park.pk])
    response = client.post(url, {"nominee": neighbours["bob"].pk, "kind": "authority", "topic": "t" * 61}, follow=True)
    assert b"at most 60 characters" in response.content
    response = client.post(url, {"nominee": neighbours["bob"].pk, "kind": "authority", "topic": ""}, follow=True)
    assert b"Name the topic" in response.content
    response = client.post(url, {"nominee": neighbours["bob"].pk, "kind": "king"}, follow=True)
    assert b"valid choice" in response.content
    assert not Nomination.objects.exists()
    client.post(url, {"nominee": neighbours["bob"].pk, "kind": "ambassador"})
    response = client.post(url, {"nominee": neighbours["bob"].pk, "kind": "ambassador"}, follow=True)
    assert b"already nominated" in response.content
    assert Nomination.objects.count() == 1
