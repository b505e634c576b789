"""On an initiative's own domain, residents' pages answer only for that site's objects.

Issue 15 (kind 2): every view that takes an initiative, member, nomination, page or document
id answers 404 on initiative A's domain for initiative B's (and changes nothing), while the
same URL works on B's own domain and on the platform's host.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection, PageViewRestriction

from accounts import services
from accounts.models import Nomination, NominationKind
from governance import services as governance
from governance.models import Membership, Role
from initiatives.models import InitiativeDomain

pytestmark = pytest.mark.django_db

A_HOST, B_HOST, PLATFORM = "alpha.example.org", "bravo.example.org", "testserver"


@pytest.fixture
def world(make_initiative, make_resident):
    a = make_initiative(title="Alpha initiative", slug="alpha")
    b = make_initiative(title="Bravo initiative", slug="bravo")
    InitiativeDomain.objects.create(hostname=A_HOST, initiative=a)
    InitiativeDomain.objects.create(hostname=B_HOST, initiative=b)
    people = {name: make_resident(display_name=name) for name in ("A frontrunner", "B frontrunner", "B member", "Both")}
    governance.join(a, people["A frontrunner"], Role.FRONTRUNNER)
    governance.join(b, people["B frontrunner"], Role.FRONTRUNNER)
    governance.join(b, people["B member"], Role.PARTICIPANT)
    governance.join(a, people["Both"], Role.PARTICIPANT)
    governance.join(b, people["Both"], Role.PARTICIPANT)
    return {"a": a, "b": b, **people}


def memberships(world):
    return sorted(Membership.objects.filter(left_at__isnull=True).values_list("initiative_id", "user_id", "role"))


def test_members_page_of_another_sites_initiative_is_not_found(client, world):
    url = reverse("accounts:members", args=[world["b"].pk])
    response = client.get(url, HTTP_HOST=A_HOST)
    assert response.status_code == 404 and "Bravo initiative" not in response.text
    for host in (B_HOST, PLATFORM):
        response = client.get(url, HTTP_HOST=host)
        assert response.status_code == 200 and "Bravo initiative" in response.text, host


@pytest.mark.parametrize(
    "name,who,member,data",
    [
        ("join", "A frontrunner", None, {"role": "participant"}),
        ("leave", "B member", None, {}),
        ("nominate", "B frontrunner", "B member", {"kind": NominationKind.AMBASSADOR}),
        ("appoint_frontrunner", "B frontrunner", "B member", {}),
        ("invite_editor", "B frontrunner", "B member", {}),
        ("remove_editor", "B frontrunner", "B member", {}),
    ],
)
def test_acting_on_another_sites_initiative_is_not_found(client, world, name, who, member, data):
    client.force_login(world[who])
    if name == "remove_editor":
        services.invite_editor(world["b"], world["B member"], by=world["B frontrunner"])
    if name == "nominate":
        data = {**data, "nominee": world[member].pk}
        args = [world["b"].pk]
    else:
        args = [world["b"].pk] + ([world[member].pk] if member else [])
    before = memberships(world), services.is_editor(world["b"], world["B member"]), Nomination.objects.count()
    response = client.post(reverse(f"accounts:{name}", args=args), data, HTTP_HOST=A_HOST)
    assert response.status_code == 404
    assert (memberships(world), services.is_editor(world["b"], world["B member"]), Nomination.objects.count()) == before
    # The same request on B's own domain does what it says.
    response = client.post(reverse(f"accounts:{name}", args=args), data, HTTP_HOST=B_HOST)
    assert response.status_code == 302
    after = memberships(world), services.is_editor(world["b"], world["B member"]), Nomination.objects.count()
    assert after != before


def test_nominating_someone_of_another_site_is_not_found(client, world):
    """On A's domain the nominee must be one of the site's people too."""
    client.force_login(world["A frontrunner"])
    url = reverse("accounts:nominate", args=[world["a"].pk])
    data = {"nominee": world["B member"].pk, "kind": NominationKind.AMBASSADOR}
    assert client.post(url, data, HTTP_HOST=A_HOST).status_code == 404
    assert not Nomination.objects.exists()
    data["nominee"] = world["Both"].pk
    assert client.post(url, data, HTTP_HOST=A_HOST).status_code == 302
    assert Nomination.objects.filter(nominee=world["Both"], initiative=world["a"]).exists()


def test_withdrawing_a_nomination_of_another_site_is_not_found(client, world):
    nomination = services.nominate(world["b"], world["B frontrunner"], world["B member"], NominationKind.AMBASSADOR)
    client.force_login(world["B frontrunner"])
    url = reverse("accounts:withdraw_nomination", args=[nomination.pk])
    assert client.post(url, HTTP_HOST=A_HOST).status_code == 404
    assert Nomination.objects.filter(pk=nomination.pk).exists()
    assert client.post(url, HTTP_HOST=B_HOST).status_code == 302
    assert not Nomination.objects.filter(pk=nomination.pk).exists()


def test_profiles_on_an_initiative_domain_are_its_members_only(client, world):
    services.nominate(world["b"], world["B frontrunner"], world["Both"], NominationKind.AUTHORITY, "bravo-solar")
    b_only = reverse("accounts:profile", args=[world["B member"].pk])
    response = client.get(b_only, HTTP_HOST=A_HOST)
    assert response.status_code == 404 and "B member" not in response.text
    assert client.get(reverse("accounts:avatar", args=[world["B member"].pk]), HTTP_HOST=A_HOST).status_code == 404
    for host in (B_HOST, PLATFORM):
        assert client.get(b_only, HTTP_HOST=host).status_code == 200, host
    # A member of both is shown on A's domain, with only what happened in A.
    both = reverse("accounts:profile", args=[world["Both"].pk])
    response = client.get(both, HTTP_HOST=A_HOST)
    assert response.status_code == 200 and "bravo-solar" not in response.text and "No nominations yet." in response.text
    assert "bravo-solar" in client.get(both, HTTP_HOST=B_HOST).text


def test_documents_of_another_sites_initiative_are_not_found(client, world):
    collection = services.ensure_editor_group(world["b"]).collection
    Document = get_document_model()
    b_doc = Document.objects.create(title="Bravo minutes", file=ContentFile(b"minutes", name="minutes.txt"), collection=collection)
    platform_doc = Document.objects.create(
        title="Platform terms", file=ContentFile(b"terms", name="terms.txt"), collection=Collection.get_first_root_node()
    )
    assert client.get(b_doc.url, HTTP_HOST=A_HOST).status_code == 404
    for host in (B_HOST, PLATFORM):
        response = client.get(b_doc.url, HTTP_HOST=host)
        assert response.status_code == 200 and b"".join(response.streaming_content) == b"minutes", host
    assert client.get(platform_doc.url, HTTP_HOST=A_HOST).status_code == 200


def test_password_form_of_another_sites_page_is_not_found(client, world, make_initiative):
    secret = make_initiative(title="Bravo members-only corner", slug="corner", parent=world["b"])
    restriction = PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.PASSWORD, password="open-sesame"
    )
    url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, secret.pk])
    response = client.get(url, HTTP_HOST=A_HOST)
    assert response.status_code == 404 and "members-only corner" not in response.text
    assert client.get(url, HTTP_HOST=B_HOST).status_code == 200
