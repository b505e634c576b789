"""Fixtures shared by the whole suite: a platform home page and a factory for initiatives."""

import uuid

import pytest
from django.conf import settings
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from ctylab import sites
from initiatives.models import HomePage, InitiativePage

from .signed_in import SignedInClient


@pytest.fixture
def client():
    return SignedInClient()


@pytest.fixture
def admin_client(db, admin_user):
    signed_in = SignedInClient()
    signed_in.force_login(admin_user)
    return signed_in


@pytest.fixture(autouse=True)
def default_language():
    """Requests activate the visitor's language on the thread; start each test in English."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fresh_sites_table():
    """Each process keeps the Sites table (ctylab.sites); a test's rolled-back Sites or a
    transactional test's flush (no signals) must not reach the next test."""
    sites.reset()
    yield
    sites.reset()


def ensure_wagtail_tree():
    """The tree root and collection that Wagtail's migrations create.

    A transactional test ends with a flush, which empties every table; tests that run after
    it (pytest-django runs transactional tests last) rebuild what they stand on.
    """
    language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    locale, _ = Locale.objects.get_or_create(language_code=language)
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    return root


@pytest.fixture
def home(db):
    root = ensure_wagtail_tree()
    home = root.add_child(instance=HomePage(title="Ctylab", slug="ctylab-home"))
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.hostname, site.port, site.root_page = "testserver", 80, home
    site.save()
    return home


def card(kind, value, block_id=None):
    return {"type": kind, "value": value, "id": block_id or str(uuid.uuid4())}


@pytest.fixture
def make_initiative(home):
    """Create and publish an initiative: make_initiative(cards=[card(...)], **fields)."""

    def make(parent=None, cards=(), publish=True, **fields):
        fields.setdefault("title", "Zonnedak")
        fields.setdefault("slug", f"initiative-{uuid.uuid4().hex[:8]}")
        fields.setdefault("summary", "Samen zonnepanelen leggen.")
        fields.setdefault("municipality", "Utrecht")
        page = InitiativePage(cards=list(cards), **fields)
        (parent or home).add_child(instance=page)
        if publish:
            page.save_revision().publish()
        else:
            page.live = False
            page.save()
        page.refresh_from_db()
        return page

    return make
