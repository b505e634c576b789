"""The tags other templates use: the membership box of an initiative page, member names."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from governance import services as governance
from governance.models import Role

pytestmark = pytest.mark.django_db


def render(initiative, user):
    request = RequestFactory().get("/zonnedak/")
    request.user = user
    return Template("{% load accounts_tags %}{% initiative_membership initiative %}").render(
        Context({"request": request, "initiative": initiative, "csrf_token": "token"})
    )


def test_membership_box(make_initiative, make_resident):
    from django.contrib.auth.models import AnonymousUser

    initiative = make_initiative()
    resident = make_resident()
    assert "Sign in" in render(initiative, AnonymousUser())
    html = render(initiative, resident)
    assert f"/accounts/initiative/{initiative.pk}/join/" in html and 'value="frontrunner"' not in html
    governance.join(initiative, resident, Role.SUPPORTER)
    assert "You are a member, as Supporter" in render(initiative, resident)


def test_member_name(make_resident):
    resident = make_resident(display_name="Wil")
    template = Template("{% load accounts_tags %}{{ someone|member_name }}")
    assert template.render(Context({"someone": resident})) == "Wil"
    assert template.render(Context({"someone": None})) == "former member"
