"""E-mails about domain requests: to site admins when one is made, to the editor on a decision.

Each is written in the recipient's admin language (Wagtail's account setting) and links to the
admin (``WAGTAILADMIN_BASE_URL``): site admins to the pending requests, the editor to the
initiative's editor page, where the decision and a refusal's reason are shown as well.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def admin_url(path):
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{path}"


def site_admins():
    """Active users who may decide on requests (superusers, or holding the permission)."""
    from django.contrib.auth.models import Permission

    permission = Permission.objects.filter(
        content_type__app_label="initiatives", codename="add_initiativedomain"
    ).first()
    query = Q(is_superuser=True)
    if permission is not None:
        query |= Q(user_permissions=permission) | Q(groups__permissions=permission)
    return get_user_model().objects.filter(query, is_active=True).exclude(email="").distinct()


def language_of(user):
    from wagtail.users.models import UserProfile

    return UserProfile.get_for_user(user).get_preferred_language() or settings.LANGUAGE_CODE


def send(template, user, context):
    with translation.override(language_of(user)):
        subject = " ".join(render_to_string(f"initiatives/email/{template}_subject.txt", context).split())
        body = render_to_string(f"initiatives/email/{template}_body.txt", context)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def requested(request):
    """Tell every site admin that ``request`` waits for them."""
    context = {
        "request": request,
        "initiative": request.initiative,
        "requests_url": admin_url(reverse("initiative_domain_requests:list")),
    }
    return sum(send("domain_requested", admin, context) for admin in site_admins())


def site_url(hostname):
    """The domain's address as its Wagtail Site gives it (https on port 443), or ""."""
    from wagtail.models import Site

    site = Site.objects.filter(hostname=hostname).first()
    return f"{site.root_url}/" if site else ""


def decided(request):
    """Tell the editor who asked what was decided (and why, for a refusal)."""
    editor = request.requested_by
    if editor is None or not editor.email:
        return 0
    context = {
        "request": request,
        "initiative": request.initiative,
        "edit_url": admin_url(reverse("wagtailadmin_pages:edit", args=[request.initiative_id])),
        "site_url": site_url(request.hostname),
    }
    return send(f"domain_{request.status}", editor, context)
