"""The index follows the site: publish, unpublish, delete, move, re-domain, card changes,
sensor readings, passing deadlines, the card policy, and the rebuild command."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import PageViewRestriction, Site

from blocks.importers import import_readings
from initiatives.models import InitiativeDomain
from search import services
from search.models import IndexedAmbition, SearchDocument
from search.query import RECENT
from tests.conftest import card

from .conftest import facet, find, future, keys, news, news_item, sensor, tender


def docs(page):
    return SearchDocument.objects.filter(page_id=page.pk)


def test_publishing_indexes_the_page(make_initiative):
    page = make_initiative(title="Fietsenstalling", publish=False)
    assert find("fietsenstalling").total == 0
    page.save_revision().publish()
    assert find("fietsenstalling").total == 1


def test_card_changes_are_indexed_on_publish(make_initiative):
    page = make_initiative(cards=[news("Nieuws", news_item("Eerste steen gelegd"))])
    assert find("steen").total == 1
    page.cards = [news("Nieuws", news_item("Dak is dicht"))]
    page.save_revision()
    assert find("steen").total == 1, "a draft changes nothing"
    page.get_latest_revision().publish()
    assert (find("steen").total, find("dak").total) == (0, 1)


def test_removed_cards_leave_the_index(make_initiative):
    page = make_initiative(cards=[news("Nieuws", news_item("Eerste steen")), tender()])
    assert set(docs(page).values_list("kind", flat=True)) == {"initiative", "news", "tender"}
    page.cards = [tender()]
    page.save_revision().publish()
    assert set(docs(page).values_list("kind", flat=True)) == {"initiative", "tender"}


def test_ambition_changes_are_indexed(make_initiative):
    page = make_initiative()
    page.ambitions.add("energie")
    page.save_revision().publish()
    assert list(IndexedAmbition.objects.filter(page_id=page.pk).values_list("name", flat=True)) == [
        "energie"
    ]
    assert find("", ambitions=("energie",)).total == 1
    page.ambitions.set(["groen"])
    page.save_revision().publish()
    assert find("", ambitions=("energie",)).total == 0
    assert find("", ambitions=("groen",)).total == 1


def test_unpublishing_removes_page_and_sub_pages(make_initiative):
    parent = make_initiative(title="Wijkraad", cards=[tender()])
    make_initiative(parent=parent, title="Wijkraad jongeren")
    assert find("wijkraad").total == 2
    parent.unpublish()
    assert find("wijkraad").total == 0
    assert not SearchDocument.objects.exists()


def test_deleting_removes_page_and_sub_pages(make_initiative):
    parent = make_initiative(title="Wijkraad", cards=[tender()])
    make_initiative(parent=parent, title="Wijkraad jongeren")
    parent.delete()
    assert find("wijkraad").total == 0
    assert not SearchDocument.objects.exists() and not IndexedAmbition.objects.exists()


def test_moving_changes_path_address_and_scope(make_initiative):
    first = make_initiative(title="Eerste", slug="eerste")
    second = make_initiative(title="Tweede", slug="tweede")
    moved = make_initiative(parent=first, title="Verhuisd", slug="verhuisd")
    assert find("verhuisd", scope=first.path).total == 1
    moved.move(second, pos="last-child")
    assert find("verhuisd", scope=first.path).total == 0
    assert find("verhuisd", scope=second.path).total == 1
    (hit,) = find("verhuisd").hits
    assert hit.url == "http://testserver/tweede/verhuisd/"


def test_moving_under_an_unpublished_page_hides_it(make_initiative):
    hidden_parent = make_initiative(title="Concept", slug="concept", publish=False)
    page = make_initiative(title="Verhuisd", slug="verhuisd")
    page.move(hidden_parent, pos="last-child")
    assert find("verhuisd").total == 0


def test_new_domain_changes_addresses(make_initiative):
    page = make_initiative(title="Bloemkwartier", slug="bloemkwartier", cards=[tender()])
    child = make_initiative(parent=page, title="Geveltuin", slug="geveltuin")
    domain = InitiativeDomain.objects.create(hostname="bloemkwartier.nl", initiative=page)
    urls = dict(SearchDocument.objects.filter(kind="initiative").values_list("page_id", "url"))
    assert urls == {page.pk: "https://bloemkwartier.nl/", child.pk: "https://bloemkwartier.nl/geveltuin/"}
    assert docs(page).filter(kind="tender").get().url.startswith("https://bloemkwartier.nl/#card-")
    assert set(docs(page).values_list("site_id", flat=True)) == {domain.site_id}
    domain.delete()
    urls = dict(SearchDocument.objects.filter(kind="initiative").values_list("page_id", "url"))
    assert urls[page.pk] == "http://testserver/bloemkwartier/"


def test_changing_the_platform_site_reindexes_in_a_task(make_initiative, settings, django_capture_on_commit_callbacks):
    settings.CTYLAB_SEARCH_INLINE_REINDEX_LIMIT = 1
    make_initiative(title="Een", slug="een")
    make_initiative(title="Twee", slug="twee")
    site = Site.objects.get(is_default_site=True)
    site.hostname = "ctylab.example"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        site.save()
    assert callbacks, "more pages than the inline limit go to a task"
    assert set(SearchDocument.objects.values_list("url", flat=True)) == {
        "http://ctylab.example/een/", "http://ctylab.example/twee/"
    }


@pytest.mark.parametrize("hide", ["unpublish", "restrict", "move under a draft"])
def test_a_large_section_is_hidden_before_its_task_runs(make_initiative, settings, django_capture_on_commit_callbacks, hide):
    settings.CTYLAB_SEARCH_INLINE_REINDEX_LIMIT = 1
    parent = make_initiative(title="Wijkraad", slug="wijkraad")
    for number in range(3):
        make_initiative(parent=parent, title=f"Wijkraad {number}", slug=f"wijkraad-{number}")
    draft = make_initiative(title="Concept", slug="concept", publish=False)
    assert find("wijkraad").total == 4
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        if hide == "unpublish":
            parent.unpublish()
        elif hide == "restrict":
            PageViewRestriction.objects.create(page=parent, restriction_type=PageViewRestriction.LOGIN)
        else:
            parent.move(draft, pos="last-child")
        # The task that re-indexes the section has not run: nothing of it may be found.
        assert find("wijkraad").total == 0
    assert callbacks, "more pages than the inline limit go to a task"
    for callback in callbacks:
        callback()
    assert find("wijkraad").total == 0


def test_a_large_section_comes_back_when_its_task_runs(make_initiative, settings, django_capture_on_commit_callbacks):
    settings.CTYLAB_SEARCH_INLINE_REINDEX_LIMIT = 1
    first = make_initiative(title="Eerste", slug="eerste")
    second = make_initiative(title="Tweede", slug="tweede")
    for number in range(3):
        make_initiative(parent=first, title=f"Wijkraad {number}", slug=f"wijkraad-{number}")
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.filter(page=first).delete()  # nothing to do: stays found
        for child in first.get_children():
            child.specific.move(second, pos="last-child")
    assert find("wijkraad", scope=second.path).total == 3


def test_new_readings_move_a_sensor_card_up(make_initiative):
    make_initiative(title="Zon", cards=[sensor(device="dak-1", metric="power")])
    news_page = make_initiative(title="Nieuws", cards=[news("Nieuws", news_item("x", date="2026-01-01"))])
    sensor_doc = SearchDocument.objects.get(kind="iot")
    before = sensor_doc.activity_at
    moment = timezone.now() + timedelta(minutes=5)
    import_readings(["device,metric,measured_at,value", f"dak-1,power,{moment.isoformat()},3.2"])
    sensor_doc.refresh_from_db()
    assert sensor_doc.activity_at == moment and sensor_doc.activity_at != before
    assert find("", sort=RECENT).hits[0].key == sensor_doc.key
    assert news_page


def test_passing_deadline_refreshes_activity(make_initiative):
    make_initiative(cards=[tender(deadline=future(1))])
    doc = SearchDocument.objects.get(kind="tender")
    assert doc.refresh_at is not None
    later = timezone.now() + timedelta(days=2)
    assert services.refresh_due(now=later) == [doc.page_id]
    doc.refresh_from_db()
    assert doc.activity_at > timezone.now()  # the passed deadline is now its latest activity


def test_hiding_a_card_type_removes_its_cards(make_initiative, django_capture_on_commit_callbacks):
    from catalogue.models import CardTypeEntry, WhenDisabled
    from catalogue.services import sync_card_types

    sync_card_types()
    make_initiative(cards=[tender(request="Bestrating"), news("Nieuws", news_item("Bestrating klaar"))])
    assert find("bestrating").total == 2
    entry = CardTypeEntry.objects.get(name="tender")
    entry.enabled, entry.when_disabled = False, WhenDisabled.HIDE
    with django_capture_on_commit_callbacks(execute=True):
        entry.save()
    assert {hit.kind for hit in find("bestrating").hits} == {"news"}


class TestRebuild:
    def test_rebuild_restores_a_lost_index(self, platform):
        before = set(SearchDocument.objects.values_list("key", "checksum"))
        SearchDocument.objects.all().delete()
        out = io.StringIO()
        call_command("rebuild_search_index", stdout=out)
        assert set(SearchDocument.objects.values_list("key", "checksum")) == before
        text = out.getvalue()
        assert "[##############################] 4/4 pages 100%" in text
        assert "pages: 4" in text and "changed: 4" in text
        assert find("zonnepaneel").total == 2

    def test_rebuild_removes_what_may_no_longer_be_found(self, platform):
        # Made unsearchable behind the index's back (no signal): the rebuild notices.
        type(platform["boules"]).objects.filter(pk=platform["boules"].pk).update(live=False)
        call_command("rebuild_search_index", stdout=io.StringIO())
        assert not docs(platform["boules"]).exists()
        assert SearchDocument.objects.count() == 8

    def test_rebuild_leaves_unchanged_documents_alone(self, platform):
        before = dict(SearchDocument.objects.values_list("key", "indexed_at"))
        out = io.StringIO()
        call_command("rebuild_search_index", "--chunk-size", "1", stdout=out)
        assert dict(SearchDocument.objects.values_list("key", "indexed_at")) == before
        assert "changed: 0" in out.getvalue()
        call_command("rebuild_search_index", "--force", "--no-progress", stdout=out)
        assert all(
            moment > before[key]
            for key, moment in SearchDocument.objects.values_list("key", "indexed_at")
        )

    def test_pages_indexed_during_a_rebuild_are_kept(self, platform, make_initiative):
        started = timezone.now()
        late = make_initiative(title="Laatkomer")  # published while the rebuild runs
        backend = services.get_backend()
        gone = backend.prune(seen={platform[name].pk for name in platform}, started=started)
        assert gone == set() and docs(late).exists()


def test_rebuild_command_with_pages_but_nothing_published(make_initiative):
    make_initiative(publish=False)
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "pages: 0" in out.getvalue()


@pytest.mark.parametrize("card_value", [card("pledge", {"title": "Bankje", "cause": "Een bank bij de vijver", "pledges": []})])
def test_plug_in_cards_are_indexed(make_initiative, card_value):
    page = make_initiative(cards=[card_value])
    assert keys(find("vijver")) == {f"card:{page.pk}:{card_value['id']}"}


def test_renaming_an_ambition_renames_its_facet(make_initiative):
    page = make_initiative(title="Zonnedak")
    page.ambitions.add("energie")
    page.save_revision().publish()
    assert facet(find(""), "ambition") == {"energie": 1}
    tag = Tag.objects.get(name="energie")
    tag.name = "duurzame energie"
    tag.save()
    assert facet(find(""), "ambition") == {"duurzame energie": 1}
    assert find("", ambitions=("duurzame energie",)).total == 1
    assert find("", ambitions=("energie",)).total == 0


def test_deleting_an_ambition_removes_it_from_the_facet(make_initiative, django_capture_on_commit_callbacks):
    page = make_initiative(title="Zonnedak")
    page.ambitions.add("energie", "groen")
    page.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        Tag.objects.get(name="energie").delete()
    assert facet(find(""), "ambition") == {"groen": 1}
