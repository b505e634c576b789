"""Custom domains: validation, routing, unknown hosts, canonical links, safe removal."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from wagtail.models import Page, Site

from initiatives.hostnames import normalize_hostname
from initiatives.models import InitiativeDomain, InitiativePage


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Buurt.Example.ORG", "buurt.example.org"),
        ("  buurt.example.org.  ", "buurt.example.org"),
        ("bloemkwartier-zoë.nl", "xn--bloemkwartier-zo-prb.nl"),
        ("ZONNEDAK.localhost", "zonnedak.localhost"),
        ("straße.de", "xn--strae-oqa.de"),
    ],
)
def test_hostnames_are_normalised(typed, stored):
    assert normalize_hostname(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("https://buurt.nl", "Enter only the domain name, without http:// or https://."),
        ("buurt.nl/park", "Enter only the domain name, without a path."),
        ("buurt.nl:8080", "Enter the domain name without a port number."),
        ("admin@buurt.nl", "A domain name cannot contain “@”."),
        ("192.168.1.10", "Enter a domain name, not an IP address."),
        ("localhost", "“localhost” is not a valid domain name: use two or more parts such as buurt.example.org."),
        ("bad_name.nl", "“bad_name.nl” is not a valid domain name."),
        ("-dash.nl", "“-dash.nl” is not a valid domain name."),
        ("a" * 64 + ".nl", f"“{'a' * 64}.nl” is not a valid domain name."),
        ("buurt .nl", "A domain name cannot contain spaces."),
        ("", "Enter a domain name, for example buurt.example.org."),
    ],
)
def test_bad_hostnames_get_clear_messages(typed, message):
    with pytest.raises(ValidationError) as caught:
        normalize_hostname(typed)
    assert caught.value.messages == [message]


@pytest.fixture
def initiative(make_initiative):
    parent = make_initiative(title="Bloemkwartier", slug="bloemkwartier")
    make_initiative(parent=parent, title="Geveltuinen", slug="geveltuinen")
    return parent


def test_domain_serves_initiative_and_sub_pages(client, initiative):
    InitiativeDomain.objects.create(hostname="bloemkwartier.nl", initiative=initiative)
    home = client.get("/", HTTP_HOST="bloemkwartier.nl")
    assert home.status_code == 200 and "<h1 lang=\"nl\">Bloemkwartier</h1>" in home.text
    child = client.get("/geveltuinen/", HTTP_HOST="bloemkwartier.nl")
    assert child.status_code == 200 and "<h1 lang=\"nl\">Geveltuinen</h1>" in child.text
    # Still served on the platform domain as well.
    assert client.get("/bloemkwartier/").status_code == 200


def test_internationalised_domain_routes_via_punycode(client, initiative):
    domain = InitiativeDomain(hostname="Bloemkwartier-Zoë.nl", initiative=initiative)
    domain.full_clean()
    domain.save()
    assert domain.hostname == "xn--bloemkwartier-zo-prb.nl"
    assert str(domain) == "bloemkwartier-zoë.nl"
    assert client.get("/", HTTP_HOST="xn--bloemkwartier-zo-prb.nl").status_code == 200


def test_unknown_hosts_get_400(client, initiative):
    InitiativeDomain.objects.create(hostname="bloemkwartier.nl", initiative=initiative)
    for host in ["evil.example", "bloemkwartier.nl.evil.example", "", "bad host"]:
        assert client.get("/", HTTP_HOST=host).status_code == 400, host


def test_canonical_names_the_custom_domain(client, initiative):
    InitiativeDomain.objects.create(hostname="bloemkwartier.nl", initiative=initiative)
    on_platform = client.get("/bloemkwartier/geveltuinen/").text
    assert '<link rel="canonical" href="https://bloemkwartier.nl/geveltuinen/">' in on_platform
    on_domain = client.get("/geveltuinen/", HTTP_HOST="bloemkwartier.nl").text
    assert '<link rel="canonical" href="https://bloemkwartier.nl/geveltuinen/">' in on_domain


def test_platform_pages_are_canonical_on_the_platform(client, make_initiative):
    page = make_initiative(slug="zonder-domein")
    assert '<link rel="canonical" href="http://testserver/zonder-domein/">' in client.get("/zonder-domein/").text
    assert page.live


def test_removing_a_domain_keeps_the_pages(client, initiative):
    domain = InitiativeDomain.objects.create(hostname="bloemkwartier.nl", initiative=initiative)
    site_id = domain.site_id
    pages_before = Page.objects.count()
    domain.delete()
    assert not Site.objects.filter(pk=site_id).exists()
    assert Page.objects.count() == pages_before
    assert client.get("/", HTTP_HOST="bloemkwartier.nl").status_code == 400
    assert client.get("/bloemkwartier/geveltuinen/").status_code == 200


def test_bulk_removal_also_removes_sites(initiative):
    InitiativeDomain.objects.create(hostname="a-domain.nl", initiative=initiative)
    InitiativeDomain.objects.create(hostname="b-domain.nl", initiative=initiative)
    InitiativeDomain.objects.all().delete()
    assert not Site.objects.filter(hostname__in=["a-domain.nl", "b-domain.nl"]).exists()
    assert InitiativePage.objects.filter(pk=initiative.pk).exists()


def test_duplicate_and_platform_hostnames_refused(initiative):
    InitiativeDomain.objects.create(hostname="bloemkwartier.nl", initiative=initiative)
    with pytest.raises(ValidationError) as caught:
        InitiativeDomain(hostname="BLOEMKWARTIER.nl", initiative=initiative).full_clean()
    assert "hostname" in caught.value.message_dict
    Site.objects.create(hostname="other-site.nl", root_page=initiative)
    with pytest.raises(ValidationError) as caught:
        InitiativeDomain(hostname="other-site.nl", initiative=initiative).full_clean()
    assert caught.value.message_dict["hostname"] == ["This domain is already in use by another site."]


# --- the admin screens -------------------------------------------------------------


@pytest.fixture
def site_admin(django_user_model):
    return django_user_model.objects.create_superuser("siteadmin", "a@example.org", "pw")


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", "e@example.org", "pw")
    group = Group.objects.get(name="Editors")
    user.groups.add(group)
    return user


def test_site_admin_adds_domain_in_admin(client, site_admin, initiative):
    client.force_login(site_admin)
    response = client.post("/admin/initiative_domains/new/", {"hostname": "Bloemkwartier.NL", "initiative": initiative.pk})
    assert response.status_code == 302
    assert InitiativeDomain.objects.get().hostname == "bloemkwartier.nl"
    assert client.get("/", HTTP_HOST="bloemkwartier.nl").status_code == 200


def test_bad_hostname_in_admin_shows_error_and_stores_nothing(client, site_admin, initiative):
    InitiativeDomain.objects.create(hostname="bloemkwartier.nl", initiative=initiative)
    client.force_login(site_admin)
    for typed, message in [
        ("https://x.nl/", "without http:// or https://"),
        ("bloemkwartier.nl", "This domain is already in use by another site."),
        ("x" * 300, "at most 253 characters"),
        ("bad_name.nl", "is not a valid domain name"),
    ]:
        response = client.post("/admin/initiative_domains/new/", {"hostname": typed, "initiative": initiative.pk})
        assert response.status_code == 200, typed
        assert message in response.text, typed
    response = client.post("/admin/initiative_domains/new/", {"hostname": "ok.nl", "initiative": 999999})
    assert response.status_code == 200
    assert InitiativeDomain.objects.count() == 1


def test_editor_cannot_manage_domains(client, editor, initiative):
    domain = InitiativeDomain.objects.create(hostname="bloemkwartier.nl", initiative=initiative)
    client.force_login(editor)
    assert client.get("/admin/initiative_domains/").status_code in (302, 403)
    client.post("/admin/initiative_domains/new/", {"hostname": "stolen.nl", "initiative": initiative.pk})
    client.post(f"/admin/initiative_domains/delete/{domain.pk}/")
    assert list(InitiativeDomain.objects.values_list("hostname", flat=True)) == ["bloemkwartier.nl"]


def test_domain_permissions_can_be_granted(client, editor, initiative):
    editor.user_permissions.add(*Permission.objects.filter(codename__endswith="initiativedomain"))
    client.force_login(editor)
    assert client.get("/admin/initiative_domains/").status_code == 200
