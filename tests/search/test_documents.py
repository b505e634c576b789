"""Search documents: what is indexed from published pages and cards, and what never is."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from search import services
from search.documents import card_texts
from search.models import IndexedAmbition, SearchDocument
from tests.conftest import card

from .conftest import election, find, news, news_item, place, place_map, sensor, tender


def documents_of(page):
    return {doc.kind: doc for doc in SearchDocument.objects.filter(page_id=page.pk)}


def test_one_document_per_initiative_and_per_card(platform):
    solar = platform["solar"]
    docs = SearchDocument.objects.filter(page_id=solar.pk)
    assert sorted(docs.values_list("kind", flat=True)) == ["initiative", "iot", "news", "tender"]
    initiative = docs.get(kind="initiative")
    assert initiative.title == "Zonnedak De Kroon"
    assert "zonnepanelen" in initiative.body and "Utrecht" in initiative.body
    assert initiative.ambitions == ["duurzaamheid", "energie"]
    assert (initiative.latitude, initiative.longitude) == (52.0907, 5.1214)
    assert initiative.url == "http://testserver/zonnedak/"
    news_doc = docs.get(kind="news")
    assert news_doc.title == "Nieuws"
    assert "Panels are on the roof" in news_doc.body and "120 panels" in news_doc.body
    assert "<p>" not in news_doc.body
    assert news_doc.url.startswith("http://testserver/zonnedak/#card-")
    # Cards are filed under their initiative's place and ambitions.
    assert news_doc.municipality == "Utrecht" and news_doc.ambitions == ["duurzaamheid", "energie"]
    assert set(IndexedAmbition.objects.filter(page_id=solar.pk).values_list("name", flat=True)) == {
        "energie", "duurzaamheid"
    }


def test_card_without_title_is_titled_by_its_first_searchable_field(platform):
    tender_doc = documents_of(platform["boules"])["tender"]
    assert tender_doc.title == "Paving for a jeu-de-boules court"
    assert tender_doc.body == "15 by 4 metres of gravel"


def test_open_windows_of_tenders_and_elections(platform):
    tender_doc = documents_of(platform["solar"])["tender"]
    assert tender_doc.openable and tender_doc.opens_at is None and tender_doc.closes_at
    election_doc = documents_of(platform["park"])["election"]
    assert election_doc.openable and election_doc.opens_at < election_doc.closes_at
    assert not documents_of(platform["solar"])["news"].openable


def test_closed_tender_cannot_be_open(make_initiative):
    page = make_initiative(cards=[tender(status="awarded")])
    assert not documents_of(page)["tender"].openable


def test_personal_fields_are_never_indexed(make_initiative):
    page = make_initiative(
        cards=[
            tender(contact_name="Henk de Vries", contact_email="henk@example.org"),
            news("Nieuws", news_item("Opening", link="https://secret.example.org/x")),
            card("pledge", {"title": "Bankje", "cause": "A bench by the pond", "pledges": [
                {"name": "Annabel Jansen", "amount": "25", "date": "2026-04-01"}
            ]}),
        ]
    )
    text = " ".join(SearchDocument.objects.filter(page_id=page.pk).values_list("body", flat=True))
    assert "bench by the pond" in text  # the plug-in card is searched by its declared fields
    for secret in ("Henk", "henk@example.org", "secret.example.org", "Annabel"):
        assert secret not in text
        assert find(secret).total == 0


def test_email_and_link_blocks_are_skipped_even_when_declared(make_initiative):
    from blocks.registry import registry

    tender_type = registry.get("tender")
    declared = type(tender_type)(
        "tender", tender_type.block, searchable_fields=("request", "contact_email", "contact_name")
    )
    value = tender_type.block.to_python(tender(contact_email="x@example.org")["value"])
    title, body = card_texts(declared, value)
    # contact_name is a CharBlock the card chose to declare; the e-mail block never counts.
    assert "x@example.org" not in title + body


def test_unpublished_pages_are_not_indexed(make_initiative):
    draft = make_initiative(title="Geheim plan", publish=False)
    assert not SearchDocument.objects.filter(page_id=draft.pk).exists()
    assert find("geheim").total == 0


def test_private_pages_and_their_children_are_not_indexed(make_initiative):
    page = make_initiative(title="Besloten kring", cards=[news("Intern", news_item("Vergadering"))])
    child = make_initiative(parent=page, title="Besloten werkgroep")
    assert (find("besloten").total, find("vergadering").total) == (2, 1)
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.get_or_create(name="Members")[0])
    assert (find("besloten").total, find("vergadering").total) == (0, 0)
    assert not SearchDocument.objects.filter(page_id__in=[page.pk, child.pk]).exists()
    restriction.delete()
    assert (find("besloten").total, find("vergadering").total) == (2, 1)


def test_pages_under_an_unpublished_page_are_not_indexed(platform):
    assert find("geveltuinen").total == 1
    platform["park"].unpublish()
    assert find("geveltuinen").total == 0
    assert find("parkherinrichting").total == 0
    platform["park"].save_revision().publish()
    assert find("geveltuinen").total == 1


def test_aliases_are_not_indexed_twice(platform, home):
    platform["boules"].create_alias(parent=home, update_slug="boules-alias")
    assert find("bloemstraat").total == 1


def test_documents_are_rewritten_only_when_they_change(platform):
    solar = platform["solar"]
    before = dict(SearchDocument.objects.filter(page_id=solar.pk).values_list("key", "indexed_at"))
    assert services.index_pages([solar.pk]) == set()
    after = dict(SearchDocument.objects.filter(page_id=solar.pk).values_list("key", "indexed_at"))
    assert before == after


def test_map_card_text_is_its_places(make_initiative):
    page = make_initiative(cards=[place_map(place("Buurthuis", description="Open op dinsdag"))])
    doc = documents_of(page)["map"]
    assert doc.title == "Waar" and doc.body == "Buurthuis Open op dinsdag"


def test_sensor_card_text_is_device_and_metric(make_initiative):
    page = make_initiative(cards=[sensor(device="dak-noord", metric="vermogen", title="")])
    doc = documents_of(page)["iot"]
    assert doc.title == "dak-noord" and doc.body == "vermogen"


def test_election_text_is_question_and_explanation(make_initiative):
    page = make_initiative(cards=[election(description="Kies twee soorten.")])
    doc = documents_of(page)["election"]
    assert doc.title == "Stemming"
    assert doc.body == "Which trees should the park get? Kies twee soorten."


@pytest.mark.parametrize("hostile", ["\ue000fake\ue001", "bell\x07", "esc\x1bape"])
def test_control_and_marker_characters_are_removed_from_text(make_initiative, hostile):
    page = make_initiative(summary=f"Summary {hostile} end")
    body = documents_of(page)["initiative"].body
    assert "\ue000" not in body and "\x07" not in body and "\x1b" not in body
