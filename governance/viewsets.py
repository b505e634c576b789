"""Admin views of governance, with Wagtail's own viewsets, scoped to frontrunners.

Frontrunners of an initiative (and site admins) see that initiative's votes and its members'
proposals, nobody else's. A vote is edited and scheduled (before it opens) and cancelled (with a
reason) from its "Manage" page, always through the services (frozen rules, the card written
back, the log); a member's proposal is decided on from its page in the admin: put to the vote,
or declined with a reason.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views.generic import HistoryView, IndexView, InspectView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.permission_policies.base import BasePermissionPolicy

from blocks.cards import election

from . import services
from .exceptions import GovernanceError
from .models import MemberProposal, MemberProposalStatus, Membership, Official, Proposal, ProposalStatus, Role
from .services import card_votes


def frontrunner_initiatives(user):
    """Ids (a subquery) of the initiatives ``user`` is an active frontrunner of."""
    return Membership.objects.filter(user=user, role=Role.FRONTRUNNER, left_at__isnull=True).values(
        "initiative_id"
    )


class FrontrunnerPolicy(BasePermissionPolicy):
    """Frontrunners of an initiative, and site admins, may ``view`` its rows; nothing else.

    Rows belong to an initiative through their ``initiative`` field. What changes a row is a
    service, called from a view that checks ``services.may_manage`` itself.
    """

    actions = ("view",)

    def __init__(self, model, actions=None):
        super().__init__(model)
        if actions is not None:
            self.actions = tuple(actions)

    def user_has_permission(self, user, action):
        if action not in self.actions or not user.is_authenticated or not user.is_active:
            return False
        return user.is_superuser or frontrunner_initiatives(user).exists()

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        if not set(actions) & set(self.actions):
            return get_user_model().objects.none()
        frontrunners = Membership.objects.filter(role=Role.FRONTRUNNER, left_at__isnull=True).values("user_id")
        return get_user_model().objects.filter(is_active=True).filter(Q(is_superuser=True) | Q(pk__in=frontrunners))

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        rows = self.model._default_manager.all()
        return rows if user.is_superuser else rows.filter(initiative_id__in=frontrunner_initiatives(user))

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])

    def user_has_permission_for_instance(self, user, action, instance):
        return self.instances_user_has_permission_for(user, action).filter(pk=instance.pk).exists()

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.instances_user_has_any_permission_for(user, actions).filter(pk=instance.pk).exists()


class ScopedIndexView(IndexView):
    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(self.request.user, "view").select_related(
            "initiative"
        )


class ScopedObjectMixin:
    """A row of the user's own initiatives only: anyone else's is a 404, on every view."""

    def get_base_object_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(self.request.user, "view")


class ScopedHistoryView(ScopedObjectMixin, HistoryView):
    pass


class ScopedUsageView(ScopedObjectMixin, UsageView):
    pass


class ScopedInspectView(InspectView):
    def get_object(self, queryset=None):
        rows = self.permission_policy.instances_user_has_permission_for(self.request.user, "view")
        return get_object_or_404(rows, pk=self.pk)


class VoteForm(forms.Form):
    """A vote's rules, by the election card's field names (``services.vote_admin``)."""

    question = forms.CharField(label=gettext_lazy("Question"), max_length=300)
    description = forms.CharField(label=gettext_lazy("Explanation"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    kind = forms.ChoiceField(label=gettext_lazy("Members vote"), choices=election.KIND_CHOICES)
    options = forms.CharField(
        label=gettext_lazy("Options"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Only for a choice between options: one per line, at least two."),
    )
    electorate = forms.ChoiceField(label=gettext_lazy("Who may vote"), choices=election.ELECTORATE_CHOICES)
    opens_at = forms.DateTimeField(label=gettext_lazy("Opens at"), widget=AdminDateTimeInput)
    closes_at = forms.DateTimeField(label=gettext_lazy("Closes at"), widget=AdminDateTimeInput)
    rule = forms.ChoiceField(label=gettext_lazy("Decision rule"), choices=election.RULE_CHOICES)
    qualified_percent = forms.DecimalField(label=gettext_lazy("Qualified majority (%)"), required=False,
                                           max_digits=5, decimal_places=2)
    quorum_percent = forms.DecimalField(label=gettext_lazy("Quorum (% of eligible members)"), required=False,
                                        max_digits=5, decimal_places=2)

    def clean_options(self):
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]


class ManageVoteView(ScopedInspectView):
    """A vote's page for its frontrunners: edit and schedule it before it opens, or cancel it
    with a reason (as "Cancel this vote" on the public card does)."""

    permission_required = "change"
    page_title = gettext_lazy("Manage vote")
    template_name = "governance/admin/vote_manage.html"

    def get_form(self):
        if self.request.method == "POST" and self.request.POST.get("action") == "edit":
            return VoteForm(self.request.POST)
        initial = services.vote_admin.card_value_of(self.object)
        initial["options"] = "\n".join(option["label"] for option in initial["options"])
        initial["opens_at"] = timezone.localtime(initial["opens_at"])
        initial["closes_at"] = timezone.localtime(initial["closes_at"])
        return VoteForm(initial=initial)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        vote = self.object
        manageable = vote.status in (ProposalStatus.DRAFT, ProposalStatus.OPEN) and services.may_manage(
            vote, self.request.user
        )
        context["editable"] = manageable and not card_votes.is_frozen(vote)
        context["cancellable"] = manageable
        context["form"] = kwargs.get("form") or self.get_form()
        context["reason"] = self.request.POST.get("reason", "") if self.request.method == "POST" else ""
        if vote.election_block_id:
            context["page_edit_url"] = reverse("wagtailadmin_pages:edit", args=[vote.initiative_id])
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        form = None
        try:
            if action == "edit":
                form = self.get_form()
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(form=form))
                services.vote_admin.edit_vote(self.object, request.user, form.cleaned_data)
                done = _("The vote “%(title)s” is changed; its election card shows the change.")
            elif action == "cancel":
                services.cancel_proposal(self.object, request.user, request.POST.get("reason", "")[:5000])
                done = _("The vote “%(title)s” is cancelled; its card shows it as cancelled, with your reason.")
            else:
                raise GovernanceError(_("Choose to change the vote or to cancel it."))
        except GovernanceError as error:
            messages.error(request, str(error))
            if form is not None:
                form.add_error(None, str(error))
            self.object.refresh_from_db()
            return self.render_to_response(self.get_context_data(form=form))
        self.object.refresh_from_db()
        messages.success(request, done % {"title": self.object.title})
        return redirect(self.request.path)


class ProposalViewSet(ModelViewSet):
    model = Proposal
    icon = "tick-inverse"
    menu_label = gettext_lazy("Votes")
    menu_order = 300
    add_to_admin_menu = True
    index_view_class = ScopedIndexView
    inspect_view_class = ScopedInspectView
    # "Edit" is the vote's Manage page: edit and schedule before opening, cancel with a reason.
    edit_view_class = ManageVoteView
    # "change" also opens Wagtail's history and usage views: they are scoped the same way.
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    list_display = ["title", "initiative", "status", "opens_at", "closes_at"]
    list_filter = ["status", "rule"]
    inspect_view_enabled = True
    copy_view_enabled = False
    inspect_view_fields = [
        "uuid",
        "initiative",
        "title",
        "text",
        "kind",
        "options",
        "eligible_roles",
        "rule",
        "qualified_percent",
        "quorum_percent",
        "opens_at",
        "closes_at",
        "status",
        "election_block_id",
        "rules_hash",
    ]
    # Required by ModelViewSet; changes go through ManageVoteView and the services only.
    form_fields = ["title"]


class DecideView(ScopedInspectView):
    """A member's proposal, and the frontrunner's decision on it: put to the vote, or decline
    with a reason (shown publicly and mailed to the proposer)."""

    template_name = "governance/admin/member_proposal_decide.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["decidable"] = self.object.status == MemberProposalStatus.PROPOSED and services.may_manage(
            self.object.initiative_id, self.request.user
        )
        context["reason"] = self.request.POST.get("reason", "") if self.request.method == "POST" else ""
        return context

    def post(self, request, *args, **kwargs):
        from .tasks import notify_proposer

        action = request.POST.get("action")
        try:
            if action == "put_to_vote":
                vote = services.member_proposals.put_to_vote(self.object, request.user)
                done = _("“%(title)s” is put to the vote: its election card is on the initiative's page.") % {
                    "title": vote.title
                }
            elif action == "decline":
                services.member_proposals.decline(self.object, request.user, request.POST.get("reason", "")[:5000])
                done = _("“%(title)s” is declined; the proposer sees your reason.") % {"title": self.object.title}
            else:
                raise GovernanceError(_("Choose to put the proposal to the vote or to decline it."))
        except GovernanceError as error:
            messages.error(request, str(error))
            self.object.refresh_from_db()
            return self.render_to_response(self.get_context_data())
        notify_proposer.enqueue(self.object.pk)
        messages.success(request, done)
        return redirect(self.request.path)


class MemberProposalViewSet(ModelViewSet):
    model = MemberProposal
    icon = "comment"
    menu_label = gettext_lazy("Member proposals")
    menu_order = 310
    add_to_admin_menu = True
    index_view_class = ScopedIndexView
    inspect_view_class = DecideView
    list_display = ["title", "initiative", "status", "created_at"]
    list_filter = ["status"]
    inspect_view_enabled = True
    copy_view_enabled = False
    inspect_view_fields = ["initiative", "title", "text", "kind", "options", "status", "created_at",
                           "decided_at", "decline_reason", "vote"]
    # Required by ModelViewSet; FrontrunnerPolicy refuses adding and editing.
    form_fields = ["title"]


class OfficialViewSet(ModelViewSet):
    """Site admins mark the accounts that speak for a municipality or organisation (Wagtail's
    model permissions: only those given ``governance.add_official`` and site admins)."""

    model = Official
    icon = "user"
    menu_label = gettext_lazy("Officials")
    menu_order = 320
    add_to_settings_menu = True
    list_display = ["user", "organisation", "created_at"]
    form_fields = ["user", "organisation"]
    copy_view_enabled = False
