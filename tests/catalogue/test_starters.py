"""Starters: a new initiative with its cards in one step from the admin (issue 11, item 1)."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Page

from blocks.registry import registry
from catalogue.examples import EXAMPLE_STARTERS
from catalogue.models import CardContract, CardPreset, Starter, StarterCard
from initiatives.models import InitiativePage

from .conftest import switch

START = reverse("catalogue:start")


@pytest.fixture
def presets(catalogue):
    """Four presets that make cards publishable as they are (no election: see below)."""
    made = {
        "news": CardPreset.objects.create(card_type=catalogue["news"], name="News", values={"title": "Nieuws"}),
        "map": CardPreset.objects.create(card_type=catalogue["map"], name="Map", values={"title": "Waar"}),
        "iot": CardPreset.objects.create(
            card_type=catalogue["iot"], name="Meter", values={"device": "roof-1", "metric": "power"}
        ),
        "tender": CardPreset.objects.create(
            card_type=catalogue["tender"],
            name="Quotes",
            values={"request": "Paving"},
            contract=[{"type": "deadline_goal", "value": {"label": "Quotes in", "date": None, "days_after_adding": 30}}],
        ),
    }
    return made


@pytest.fixture
def starter(presets):
    starter = Starter.objects.create(name="Street project", description="For streets")
    for index, preset in enumerate(presets.values()):
        StarterCard.objects.create(starter=starter, preset=preset, sort_order=index)
    return starter


def form(home, starter, **changes):
    data = {
        "title": "Boules in de Lindenstraat",
        "summary": "Een baan op het pleintje.",
        "municipality": "Eindhoven",
        "latitude": "51.4416",
        "longitude": "5.4697",
        "starter": starter.pk if starter else "",
        "parent": home.pk,
    }
    data.update(changes)
    return data


def test_an_editor_creates_an_initiative_in_one_step_and_lands_in_its_editor(editor_client, home, starter):
    response = editor_client.post(START, form(home, starter))
    page = InitiativePage.objects.get(title="Boules in de Lindenstraat")
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert page.get_parent().pk == home.pk
    assert not page.live
    assert [child.block_type for child in page.cards] == ["news", "map", "iot", "tender"]
    # The map card starts at the initiative's place.
    place = page.cards[1].value["places"][0]
    assert (place["latitude"], place["longitude"]) == (51.4416, 5.4697)
    # The tender's contract is the page's own copy, its deadline a date.
    contract = CardContract.objects.get(page=page)
    assert contract.block_id == page.cards[3].id
    assert contract.terms[0].value["date"] is not None
    # The editor opens, and the page publishes as it is.
    assert editor_client.get(response["Location"]).status_code == 200
    page.get_latest_revision().publish()
    page = InitiativePage.objects.get(pk=page.pk)
    assert page.live and len(page.cards) == 4


def test_the_page_form_opens_and_shows_only_offered_starters(editor_client, home, starter):
    Starter.objects.create(name="Old one", retired=True)
    response = editor_client.get(START)
    assert response.status_code == 200
    assert b"Street project" in response.content
    assert b"Old one" not in response.content


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"title": ""}, "title"), ({"starter": "999999"}, "starter"), ({"starter": "x"}, "starter"),
     ({"latitude": "91"}, "latitude"), ({"longitude": ""}, "longitude"), ({"summary": ""}, "summary")],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_created(editor_client, home, starter, changes, field):
    before = Page.objects.count()
    response = editor_client.post(START, {**form(home, starter), **changes})
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert Page.objects.count() == before


def test_a_starter_with_a_switched_off_card_type_says_so_and_creates_nothing(editor_client, home, starter):
    switch("tender", enabled=False)
    before = Page.objects.count()
    response = editor_client.post(START, form(home, starter))
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert any("Quotes" in error and "switched off" in error for error in errors)
    assert Page.objects.count() == before
    assert not CardContract.objects.exists()


def test_a_preset_that_makes_an_incomplete_card_is_named(editor_client, home, starter, presets):
    CardPreset.objects.filter(pk=presets["iot"].pk).update(values={"metric": "power"})
    response = editor_client.post(START, form(home, starter))
    errors = response.context["form"].non_field_errors()
    assert any("Meter" in error and "Device" in error for error in errors)
    assert not InitiativePage.objects.exists()


def test_only_where_the_editor_may_add_pages(client, django_user_model, home, starter, editors_group):
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.create(name="Admin access only")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = django_user_model.objects.create_user("reader", "reader@example.org", "pw")
    user.groups.add(group)
    client.force_login(user)
    assert b"nowhere you may add" in client.get(START).content
    response = client.post(START, form(home, starter))
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    assert not InitiativePage.objects.exists()


def test_under_an_initiative_too(editor_client, home, starter, make_initiative):
    parent = make_initiative(title="Zonnedak")
    editor_client.post(START, form(home, starter, parent=parent.pk, title="Ronde twee"))
    assert InitiativePage.objects.get(title="Ronde twee").get_parent().pk == parent.pk


def test_same_title_twice_gets_its_own_address(editor_client, home, starter):
    editor_client.post(START, form(home, starter))
    editor_client.post(START, form(home, starter))
    assert sorted(InitiativePage.objects.values_list("slug", flat=True)) == [
        "boules-in-de-lindenstraat", "boules-in-de-lindenstraat-1",
    ]


def test_site_admins_manage_starters(admin_client, starter):
    index = admin_client.get(reverse("catalogue_starter_modeladmin_index"))
    assert b"Street project" in index.content
    assert admin_client.get(reverse("catalogue_starter_modeladmin_edit", args=[starter.pk])).status_code == 200
    assert admin_client.get(reverse("catalogue_starter_modeladmin_create")).status_code == 200


def election_defaults_are_valid():
    block = registry.get("election").block
    raw = block.get_prep_value(block.get_default())
    raw["question"] = "?"
    try:
        block.clean(block.to_python(raw))
    except Exception:  # noqa: BLE001 - any refusal means "not yet"
        return False
    return True


def test_the_example_starters_are_loaded_once(db, catalogue):
    call_command("load_catalogue_presets")
    call_command("load_catalogue_presets")
    assert list(Starter.objects.values_list("name", flat=True)) == [s["name"] for s in EXAMPLE_STARTERS]
    assert all(starter.cards.count() == 5 for starter in Starter.objects.all())


@pytest.mark.parametrize("name", [s["name"] for s in EXAMPLE_STARTERS])
def test_each_example_starter_makes_five_publishable_cards(editor_client, home, catalogue, name):
    if not election_defaults_are_valid():
        pytest.skip("the election card's valid defaults (opens now, closes in 14 days) are not merged yet")
    call_command("load_catalogue_presets")
    starter = Starter.objects.get(name=name)
    response = editor_client.post(START, form(home, starter, title=name))
    assert response.status_code == 302, response.context["form"].errors
    page = InitiativePage.objects.get(title=name)
    assert len(page.cards) == 5
    page.get_latest_revision().publish()
    assert InitiativePage.objects.get(pk=page.pk).live


def test_editors_use_starters_but_only_site_admins_change_them(editor_client, starter):
    assert editor_client.get(reverse("catalogue_starter_modeladmin_index")).status_code in (302, 403)
    assert editor_client.get(reverse("catalogue_starter_modeladmin_edit", args=[starter.pk])).status_code in (302, 403)
