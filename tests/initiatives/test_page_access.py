"""Who may see a page, read from what the routing fetched (ctylab.ancestry): view restrictions
and unpublished ancestors still apply on the platform and on an initiative's own domain, to
the page itself, to the pages below it and in the lists of sub-initiatives."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page, PageViewRestriction

from initiatives.models import InitiativeDomain


@pytest.fixture
def tree(make_initiative):
    parent = make_initiative(title="Bloemkwartier", slug="bloemkwartier")
    child = make_initiative(parent=parent, title="Geveltuinen", slug="geveltuinen")
    grandchild = make_initiative(parent=child, title="Regentonnen", slug="regentonnen")
    # The domain starts at the child: its parent is above the site's root.
    InitiativeDomain.objects.create(hostname="geveltuinen.nl", initiative=child)
    return parent, child, grandchild


def is_sign_in_redirect(response):
    return response.status_code == 302 and "login" in response["Location"]


def test_a_restriction_on_an_initiative_covers_its_sub_pages_everywhere(client, tree):
    parent, child, grandchild = tree
    PageViewRestriction.objects.create(page=parent, restriction_type=PageViewRestriction.LOGIN)
    assert is_sign_in_redirect(client.get("/bloemkwartier/"))
    assert is_sign_in_redirect(client.get("/bloemkwartier/geveltuinen/"))
    assert is_sign_in_redirect(client.get("/", HTTP_HOST="geveltuinen.nl"))
    assert is_sign_in_redirect(client.get("/regentonnen/", HTTP_HOST="geveltuinen.nl"))
    # Signed in, the member reads them.
    client.force_login(get_user_model().objects.create_user(username="lid", email="lid@example.org", password="x"))
    assert client.get("/regentonnen/", HTTP_HOST="geveltuinen.nl").status_code == 200


def test_a_password_on_the_parent_asks_for_it_on_the_childs_domain(client, tree):
    parent, child, grandchild = tree
    PageViewRestriction.objects.create(page=parent, restriction_type=PageViewRestriction.PASSWORD, password="tulp")
    response = client.get("/regentonnen/", HTTP_HOST="geveltuinen.nl")
    assert response.status_code == 200 and 'name="password"' in response.text
    assert "Regentonnen</h1>" not in response.text


def test_a_restriction_on_the_tree_root_still_applies(client, tree):
    PageViewRestriction.objects.create(page=Page.get_first_root_node(), restriction_type=PageViewRestriction.LOGIN)
    assert is_sign_in_redirect(client.get("/"))
    assert is_sign_in_redirect(client.get("/bloemkwartier/geveltuinen/"))
    assert is_sign_in_redirect(client.get("/", HTTP_HOST="geveltuinen.nl"))


def test_restricted_sub_initiatives_are_not_listed(client, tree, make_initiative):
    parent, child, grandchild = tree
    open_one = make_initiative(parent=child, title="Boomspiegels", slug="boomspiegels")
    PageViewRestriction.objects.create(page=grandchild, restriction_type=PageViewRestriction.LOGIN)
    page = client.get("/", HTTP_HOST="geveltuinen.nl").text
    assert "Boomspiegels" in page and "Regentonnen" not in page
    assert is_sign_in_redirect(client.get("/regentonnen/", HTTP_HOST="geveltuinen.nl"))
    assert client.get("/boomspiegels/", HTTP_HOST="geveltuinen.nl").status_code == 200
    assert open_one.live

    # Under a restricted initiative, no sub-initiative is listed to a visitor who got in.
    PageViewRestriction.objects.create(page=child, restriction_type=PageViewRestriction.PASSWORD, password="tulp")
    form = client.get("/", HTTP_HOST="geveltuinen.nl")
    restriction = PageViewRestriction.objects.get(page=child)
    client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{child.pk}/",
        {"password": "tulp", "return_url": "/"}, HTTP_HOST="geveltuinen.nl",
    )
    page = client.get("/", HTTP_HOST="geveltuinen.nl")
    assert 'name="password"' in form.text
    assert page.status_code == 200 and "Geveltuinen</h1>" in page.text
    assert "Boomspiegels" not in page.text


def test_restricted_initiatives_are_not_on_the_home_page(client, tree, make_initiative):
    parent, child, grandchild = tree
    make_initiative(title="Speeltuin", slug="speeltuin")
    PageViewRestriction.objects.create(page=parent, restriction_type=PageViewRestriction.LOGIN)
    home = client.get("/").text
    assert "Speeltuin" in home and "Bloemkwartier" not in home


def test_an_unpublished_parent_above_the_domains_root_hides_the_domain(client, tree):
    parent, child, grandchild = tree
    assert client.get("/regentonnen/", HTTP_HOST="geveltuinen.nl").status_code == 200
    parent.unpublish()
    assert client.get("/", HTTP_HOST="geveltuinen.nl").status_code == 404
    assert client.get("/regentonnen/", HTTP_HOST="geveltuinen.nl").status_code == 404
    assert client.get("/bloemkwartier/geveltuinen/").status_code == 404
