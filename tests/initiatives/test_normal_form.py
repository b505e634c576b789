"""Ambitions typed in the page editor meet existing ones in any spelling (issue 15, kind 4)."""

import pytest
from django.urls import reverse
from taggit.models import Tag

from initiatives.models import InitiativePage
from tests.catalogue.conftest import page_form_data

pytestmark = pytest.mark.django_db


def test_an_ambition_typed_full_width_or_in_capitals_is_the_existing_one(admin_client, make_initiative):
    page = make_initiative(title="Zonnedak")
    other = make_initiative(title="Geveltuinen")
    other.ambitions.set(["groen"])
    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        page_form_data(page, [], action="action-publish", ambitions="Ｇｒｏｅｎ， ENERGIE"),
    )
    assert response.status_code == 302
    page = InitiativePage.objects.get(pk=page.pk)
    assert sorted(page.ambitions.names()) == ["ENERGIE", "groen"]
    assert Tag.objects.filter(name__iexact="groen").count() == 1
