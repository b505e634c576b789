"""Domains from the initiative's editor page: site admins attach, editors request, site admins
approve in one action or refuse with a reason (issue 11, item 5)."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse
from wagtail.models import PageLogEntry, Site
from wagtail.test.utils.form_data import nested_form_data, streamfield

from accounts.services import ensure_editor_group
from initiatives import domains
from initiatives.models import DomainRequest, InitiativeDomain

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs what waits for the commit (the e-mails) at the block's end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def initiative(make_initiative):
    return make_initiative(title="Buurt Twee", slug="buurt-twee")


@pytest.fixture
def editor(django_user_model, initiative):
    """An editor of this initiative only (its own editor group), not a site admin."""
    user = django_user_model.objects.create_user("editor", "editor@example.org", "pw")
    user.groups.add(ensure_editor_group(initiative).group)
    return user


@pytest.fixture
def site_admin(django_user_model):
    return django_user_model.objects.create_superuser("siteadmin", "siteadmin@example.org", "pw")


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def edit_form(page, **extra):
    data = {
        "title": page.title, "slug": page.slug, "summary": page.summary, "content_language": "nl",
        "municipality": page.municipality, "latitude": "", "longitude": "", "ambitions": "",
        "card_order": "manual", "cards": streamfield([]),
    }
    data.update(extra)
    return nested_form_data(data)


def logged(page):
    return list(
        PageLogEntry.objects.filter(page=page, action__startswith="initiatives.domain_")
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )


def test_an_editor_requests_and_a_site_admin_approves_in_one_action(
    client, initiative, editor, site_admin, settings, committed
):
    client.force_login(editor)
    page = client.get(edit_url(initiative))
    assert "Request a domain" in page.text and "no domain of its own yet" in page.text
    with committed():
        response = client.post(edit_url(initiative), edit_form(initiative, new_domain=" Buurt2.LOCALHOST. "))
    assert response.status_code == 302
    request = DomainRequest.objects.get()
    assert (request.hostname, request.status, request.requested_by) == ("buurt2.localhost", "pending", editor)
    assert not Site.objects.filter(hostname="buurt2.localhost").exists()
    assert logged(initiative) == ["initiatives.domain_requested"]
    [to_admin] = mail.outbox
    assert to_admin.to == ["siteadmin@example.org"] and "buurt2.localhost" in to_admin.subject
    assert "/admin/domain-requests/" in to_admin.body
    assert "buurt2.localhost has been requested." in client.get(edit_url(initiative)).text

    client.force_login(site_admin)
    dashboard = client.get("/admin/")
    assert reverse("initiative_domain_requests:approve", args=[request.pk]) in dashboard.text
    assert 'name="csrfmiddlewaretoken"' in dashboard.text.split("pending-domains-heading")[-1]
    with committed():
        response = client.post(reverse("initiative_domain_requests:approve", args=[request.pk]), {"next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    site = Site.objects.get(hostname="buurt2.localhost")
    assert (site.port, site.root_page_id) == (settings.CTYLAB_DOMAIN_PORT, initiative.pk)
    assert InitiativeDomain.objects.get().site == site
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("approved", site_admin)
    assert client.get("/", HTTP_HOST="buurt2.localhost").status_code == 200
    assert logged(initiative) == ["initiatives.domain_requested", "initiatives.domain_approved"]
    assert mail.outbox[-1].to == ["editor@example.org"] and "buurt2.localhost" in mail.outbox[-1].body
    # Approving twice is a message, not an error or a second site.
    again = client.post(reverse("initiative_domain_requests:approve", args=[request.pk]), follow=True)
    assert again.status_code == 200 and "already been decided" in again.text
    assert Site.objects.filter(hostname="buurt2.localhost").count() == 1


def test_a_site_admin_attaches_a_domain_from_the_editor(client, initiative, site_admin):
    client.force_login(site_admin)
    assert "Add a domain" in client.get(edit_url(initiative)).text
    response = client.post(edit_url(initiative), edit_form(initiative, new_domain="Bloemkwartier-Zoë.nl"))
    assert response.status_code == 302
    assert InitiativeDomain.objects.get(initiative=initiative).hostname == "xn--bloemkwartier-zo-prb.nl"
    assert not DomainRequest.objects.exists()
    assert logged(initiative) == ["initiatives.domain_attached"]
    assert "bloemkwartier-zoë.nl" in client.get(edit_url(initiative)).text


def test_refusing_needs_a_reason_and_tells_the_editor(client, initiative, editor, site_admin, committed):
    request = domains.request_domain(initiative, "buurt2.localhost", editor)
    client.force_login(site_admin)
    url = reverse("initiative_domain_requests:refuse", args=[request.pk])
    assert client.get(url).status_code == 200
    empty = client.post(url, {"reason": "   "})
    assert empty.status_code == 200 and "This field is required." in empty.text
    assert client.post(url, {"reason": "x" * 1001}).status_code == 200
    request.refresh_from_db()
    assert request.status == "pending"
    mail.outbox.clear()

    with committed():
        response = client.post(url, {"reason": "Kies een naam zonder cijfer."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.reason) == ("refused", "Kies een naam zonder cijfer.")
    [to_editor] = mail.outbox
    assert to_editor.to == ["editor@example.org"] and "Kies een naam zonder cijfer." in to_editor.body
    assert "refused" in to_editor.subject
    client.force_login(editor)
    page = client.get(edit_url(initiative)).text
    assert "buurt2.localhost was refused" in page and "Kies een naam zonder cijfer." in page
    assert logged(initiative)[-1] == "initiatives.domain_refused"
    assert not Site.objects.filter(hostname="buurt2.localhost").exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("https://buurt2.localhost/", "without http:// or https://"),
        ("buurt2", "is not a valid domain name"),
        ("x" * 301, "at most 300 characters"),
        ("x" * 300, "is not a valid domain name"),
        ("taken.localhost", "already in use by another site"),
        ("waiting.localhost", "already been requested"),
        ("localhost", "is not a valid domain name"),
        ("127.0.0.1", "not an IP address"),
    ],
)
def test_bad_names_are_refused_on_the_field_and_nothing_is_stored(
    client, initiative, editor, make_initiative, typed, message
):
    other = make_initiative(title="Ander", slug="ander")
    InitiativeDomain.objects.create(hostname="taken.localhost", initiative=other)
    DomainRequest.objects.create(hostname="waiting.localhost", initiative=other)
    client.force_login(editor)
    response = client.post(edit_url(initiative), edit_form(initiative, new_domain=typed))
    assert response.status_code == 200
    assert message in response.text
    assert DomainRequest.objects.count() == 1 and InitiativeDomain.objects.count() == 1
    assert mail.outbox == []


def test_only_editors_request_and_only_site_admins_decide(client, initiative, editor, make_initiative, django_user_model):
    elsewhere = make_initiative(title="Elders", slug="elders")
    client.force_login(editor)
    # Another initiative's editor page is not theirs, nor is asking for it.
    assert client.post(edit_url(elsewhere), edit_form(elsewhere, new_domain="elders.localhost")).status_code in (302, 403, 404)
    assert not DomainRequest.objects.filter(initiative=elsewhere).exists()
    with pytest.raises(domains.PermissionDenied):
        domains.request_domain(elsewhere, "elders.localhost", editor)
    with pytest.raises(domains.PermissionDenied):
        domains.attach(initiative, "direct.localhost", editor)

    request = domains.request_domain(initiative, "buurt2.localhost", editor)
    # Wagtail's admin answers a refused permission with a redirect to the dashboard.
    for url in [
        reverse("initiative_domain_requests:list"),
        reverse("initiative_domain_requests:refuse", args=[request.pk]),
    ]:
        assert client.get(url).status_code in (302, 403), url
    assert client.post(reverse("initiative_domain_requests:approve", args=[request.pk])).status_code in (302, 403)
    refused = client.post(reverse("initiative_domain_requests:refuse", args=[request.pk]), {"reason": "nee"})
    assert refused.status_code in (302, 403)
    with pytest.raises(domains.PermissionDenied):
        domains.approve(request, editor)
    request.refresh_from_db()
    assert request.status == "pending" and not InitiativeDomain.objects.exists()
    assert "Domain requests" not in client.get("/admin/").text

    # The permission that lets a user manage domains makes them a site admin here too.
    editor.user_permissions.add(Permission.objects.get(codename="add_initiativedomain"))
    editor = django_user_model.objects.get(pk=editor.pk)
    domains.approve(request, editor)
    assert InitiativeDomain.objects.get().hostname == "buurt2.localhost"


def test_approving_a_name_taken_meanwhile_keeps_the_request_waiting(client, initiative, editor, site_admin, make_initiative):
    request = domains.request_domain(initiative, "buurt2.localhost", editor)
    Site.objects.create(hostname="buurt2.localhost", root_page=make_initiative(slug="sneller"))
    client.force_login(site_admin)
    response = client.post(reverse("initiative_domain_requests:approve", args=[request.pk]), follow=True)
    assert response.status_code == 200 and "already in use by another site" in response.text
    request.refresh_from_db()
    assert request.status == "pending" and not InitiativeDomain.objects.exists()
    assert client.get(reverse("initiative_domain_requests:approve", args=[request.pk])).status_code == 405
    assert client.post(reverse("initiative_domain_requests:approve", args=[999999])).status_code == 404


def test_one_pending_request_per_name_in_the_database(initiative, make_initiative):
    DomainRequest.objects.create(hostname="buurt2.localhost", initiative=initiative)
    with pytest.raises(IntegrityError):
        DomainRequest.objects.create(hostname="buurt2.localhost", initiative=make_initiative(slug="ander"))


def test_the_panel_and_the_mail_in_dutch(client, initiative, editor, site_admin, committed):
    from wagtail.users.models import UserProfile

    for user in (editor, site_admin):
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "nl"
        profile.save()
    client.force_login(editor)
    page = client.get(edit_url(initiative)).text
    assert "Domein aanvragen" in page and "Dit initiatief heeft nog geen eigen domein." in page
    with committed():
        client.post(edit_url(initiative), edit_form(initiative, new_domain="buurt2.localhost"))
    assert "Domein aangevraagd: buurt2.localhost" in mail.outbox[0].subject


def test_attaching_a_domain_refreshes_cached_platform_pages(client, initiative, settings):
    from django.core.cache import cache

    settings.CTYLAB_PAGE_CACHE_SECONDS = 60
    cache.clear()
    client.get("/buurt-twee/")
    assert client.get("/buurt-twee/")["X-Cache"] == "HIT"
    InitiativeDomain.objects.create(hostname="buurt2.localhost", initiative=initiative)
    fresh = client.get("/buurt-twee/")
    assert fresh["X-Cache"] == "MISS"
    assert "buurt2.localhost" in fresh.text  # the canonical link names the new domain
    cache.clear()
