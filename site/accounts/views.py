"""Residents' pages: their profile, their data, and their part in initiatives.

Views stay thin: they read forms and call ``accounts.services`` (and, for membership,
governance's services); every POST is CSRF-protected and redirects only within this host.
Every initiative, person and nomination in a URL or form must belong to the request's site
(``initiatives.scope``): on an initiative's own domain, another initiative's is a 404.
"""

import json

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import RedirectView
from PIL import Image

from initiatives.scope import initiative_or_404, on_initiative_domain, site_initiatives

from . import services
from .exceptions import AccountsError
from .forms import JoinForm, NominationForm, ProfileForm
from .models import InitiativeEditors, Nomination, Profile
from .privacy import visible_profile, visible_profiles

AVATAR_CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}


def _next_or(request, default):
    """The POSTed or queried ``next``, if it stays on this very host; else ``default``."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _people_of_site(request):
    """Active users whose profiles this site shows: everyone on the platform's own hosts;
    on an initiative's domain, the current members of its initiatives (``initiatives.scope``)."""
    people = get_user_model().objects.filter(is_active=True)
    if not on_initiative_domain(request):
        return people
    from governance.models import Membership

    members = Membership.objects.filter(initiative__in=site_initiatives(request), left_at__isnull=True)
    return people.filter(pk__in=members.values("user_id"))


def _governance_error():
    from governance.exceptions import GovernanceError

    return GovernanceError


# Every other login page (the two admins', Wagtail's front-end one) leads to allauth's, with
# its rate limits, e-mail verification and two-factor step; a POST to them signs nobody in.
# Sessions made any other way are signed out by the sign-in gate (accounts.signin_gate).
login_redirect = RedirectView.as_view(pattern_name="account_login", query_string=True)


# --- your profile -------------------------------------------------------------------------


@login_required
def profile_edit(request):
    profile = services.profile_for(request.user)
    old_avatar = profile.avatar.name if profile.avatar else ""
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, instance=profile)
        if form.is_valid():
            with transaction.atomic():
                profile = form.save(commit=False)
                if form.cleaned_data.get("remove_avatar") and "avatar" not in request.FILES:
                    profile.avatar = ""
                profile.save()
                services.profiles.sync_display_name(profile)
            new_avatar = profile.avatar.name if profile.avatar else ""
            if old_avatar and old_avatar != new_avatar:
                profile.avatar.storage.delete(old_avatar)
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile_edit")
        # Nothing was stored: the instance only changed in memory.
        profile.refresh_from_db()
    else:
        form = ProfileForm(instance=profile)
    return render(
        request,
        "accounts/profile_edit.html",
        {"form": form, "profile": visible_profile(profile, request.user)},
    )


@require_GET
def profile_detail(request, user_id):
    profile = get_object_or_404(
        Profile.objects.select_related("user"), user_id=user_id, user__in=_people_of_site(request)
    )
    shown = visible_profile(profile, request.user)
    initiatives = site_initiatives(request)
    return render(
        request,
        "accounts/profile_detail.html",
        {
            "profile": shown,
            "counts": services.counts_for_user(profile.user, initiatives=initiatives),
            "my_nominations": Nomination.objects.filter(
                nominator=request.user, nominee_id=user_id, initiative__in=initiatives
            ).select_related("initiative")
            if request.user.is_authenticated
            else [],
        },
    )


@require_GET
def avatar(request, user_id):
    profile = get_object_or_404(Profile, user_id=user_id, user__in=_people_of_site(request))
    if not profile.avatar or not visible_profile(profile, request.user).avatar_url:
        raise Http404
    # The content type comes from what the file is (validated on upload), never its name.
    handle = profile.avatar.open("rb")
    try:
        with Image.open(handle) as image:
            content_type = AVATAR_CONTENT_TYPES.get(image.format)
    except (OSError, ValueError):
        content_type = None
    if content_type is None:
        handle.close()
        raise Http404
    handle.seek(0)
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


# --- your data ----------------------------------------------------------------------------


@login_required
@reauthentication_required
def export(request):
    data = services.export_user_data(request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False, default=str),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="ctylab-your-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@reauthentication_required
def delete_account(request):
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Tick the box to confirm that you want to delete your account."))
            return render(request, "accounts/delete_account.html", {"confirm_error": True}, status=400)
        try:
            services.delete_account(request.user)
        except AccountsError as error:
            messages.error(request, error.message)
            return render(request, "accounts/delete_account.html", status=409)
        logout(request)
        messages.success(request, _("Your account has been deleted."))
        return redirect("/")
    return render(request, "accounts/delete_account.html")


# --- initiatives: members, joining, nominations, editors -----------------------------------


@require_GET
def members(request, page_id):
    from governance.models import Membership, Role
    from governance.services import active_membership

    initiative = initiative_or_404(request, page_id)
    memberships = list(
        Membership.objects.filter(initiative=initiative, left_at__isnull=True)
        .select_related("user__profile")
        .order_by("joined_at", "pk")
    )
    for membership in memberships:
        if not hasattr(membership.user, "profile"):
            membership.user.profile = services.profile_for(membership.user)
    shown = visible_profiles([m.user.profile for m in memberships], request.user)
    listed = [
        (membership, profile)
        for membership, profile in zip(memberships, shown, strict=True)
        if profile.listed
    ]
    mine = active_membership(initiative.pk, request.user)
    is_frontrunner = mine is not None and mine.role == Role.FRONTRUNNER
    editors = set()
    if is_frontrunner:
        editors = set(
            get_user_model()
            .objects.filter(groups__in=InitiativeEditors.objects.filter(initiative=initiative).values("group"))
            .values_list("pk", flat=True)
        )
    role_counts = {role: 0 for role in Role.values}
    for membership in memberships:
        role_counts[membership.role] += 1
    return render(
        request,
        "accounts/members.html",
        {
            "initiative": initiative,
            "listed": listed,
            "member_count": len(memberships),
            "role_counts": [(Role(role).label, n) for role, n in role_counts.items()],
            "my_membership": mine,
            "is_frontrunner": is_frontrunner,
            "is_editor": services.is_editor(initiative, request.user),
            "editor_ids": editors,
            "join_form": JoinForm() if request.user.is_authenticated and mine is None else None,
            "nomination_form": NominationForm() if mine is not None else None,
            "nominations": services.counts_for_initiative(initiative),
            "my_nominations": Nomination.objects.filter(initiative=initiative, nominator=request.user).select_related("nominee__profile")
            if mine is not None
            else [],
        },
    )


def _members_url(initiative):
    return reverse("accounts:members", args=[initiative.pk])


def _act(request, initiative, action, success):
    """Run a service call; report its outcome; redirect back on this host."""
    try:
        action()
    except (AccountsError, _governance_error()) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(_next_or(request, _members_url(initiative)))


@login_required
@require_POST
def join(request, page_id):
    initiative = initiative_or_404(request, page_id)
    form = JoinForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to join as participant or supporter."))
        return redirect(_next_or(request, _members_url(initiative)))
    return _act(
        request,
        initiative,
        lambda: services.join_initiative(initiative, request.user, form.cleaned_data["role"]),
        _("Welcome! You are now a member of %(initiative)s.") % {"initiative": initiative.title},
    )


@login_required
@require_POST
def leave(request, page_id):
    initiative = initiative_or_404(request, page_id)
    return _act(
        request,
        initiative,
        lambda: services.leave_initiative(initiative, request.user),
        _("You have left %(initiative)s.") % {"initiative": initiative.title},
    )


def _member_of(initiative, user_id):
    from governance.services import active_membership

    user = get_object_or_404(get_user_model(), pk=user_id, is_active=True)
    if active_membership(initiative.pk, user) is None:
        raise Http404
    return user


@login_required
@require_POST
def appoint_frontrunner(request, page_id, user_id):
    initiative = initiative_or_404(request, page_id)
    member = _member_of(initiative, user_id)
    return _act(
        request,
        initiative,
        lambda: services.appoint_frontrunner(initiative, member, by=request.user),
        _("%(name)s is now a frontrunner.") % {"name": services.profile_for(member).display_name},
    )


@login_required
@require_POST
def invite_editor(request, page_id, user_id):
    initiative = initiative_or_404(request, page_id)
    member = _member_of(initiative, user_id)
    return _act(
        request,
        initiative,
        lambda: services.invite_editor(initiative, member, by=request.user),
        _("%(name)s can now edit this initiative's pages.") % {"name": services.profile_for(member).display_name},
    )


@login_required
@require_POST
def remove_editor(request, page_id, user_id):
    initiative = initiative_or_404(request, page_id)
    member = get_object_or_404(get_user_model(), pk=user_id)
    return _act(
        request,
        initiative,
        lambda: services.remove_editor(initiative, member, by=request.user),
        _("Editing rights removed."),
    )


@login_required
@require_POST
def nominate(request, page_id):
    initiative = initiative_or_404(request, page_id)
    form = NominationForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_next_or(request, _members_url(initiative)))
    nominee = get_object_or_404(_people_of_site(request), pk=form.cleaned_data["nominee"])
    return _act(
        request,
        initiative,
        lambda: services.nominate(
            initiative, request.user, nominee, form.cleaned_data["kind"], form.cleaned_data["topic"]
        ),
        _("Thank you: your nomination has been recorded."),
    )


@login_required
@require_POST
def withdraw_nomination(request, nomination_id):
    nomination = Nomination.objects.filter(pk=nomination_id, nominator=request.user).first()
    if nomination is None:
        raise PermissionDenied
    if not site_initiatives(request).filter(pk=nomination.initiative_id).exists():
        raise Http404
    initiative = nomination.initiative
    return _act(
        request,
        initiative,
        lambda: services.withdraw(nomination_id, request.user),
        _("Your nomination has been withdrawn."),
    )
