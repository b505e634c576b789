"""The editors' admin for devices: a ModelViewSet scoped to the initiatives they may edit.

An editor sees, adds and changes the devices of the pages with cards they may edit (the
initiative's editor group has "change" on its subtree); a superuser sees all. The token is
shown once, on the page that answers the registration or the rotation, and never again.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.models import get_page_models
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy

from accounts.references import ReferencesInScopeMixin

from ..fields import CardStreamField
from ..models import Device
from ..place_picker import PlacePanel
from . import export, tokens


def card_page_types():
    return [
        model for model in get_page_models()
        if any(isinstance(field, CardStreamField) for field in model._meta.get_fields())
    ]


def initiatives_for(user):
    """The pages with cards that ``user`` may edit (the initiatives whose devices they manage)."""
    from django.contrib.contenttypes.models import ContentType

    editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    types = ContentType.objects.get_for_models(*card_page_types()).values()
    return editable.filter(content_type__in=types).order_by("title", "pk")


class DevicePermissionPolicy(BasePermissionPolicy):
    """Devices belong to initiatives: whoever may edit the initiative manages its devices."""

    def __init__(self):
        super().__init__(Device)

    def user_has_permission(self, user, action):
        if not (user.is_active and user.is_authenticated):
            return False
        return user.is_superuser or initiatives_for(user).exists()

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, "change")

    def instances_user_has_permission_for(self, user, action):
        if not self.user_has_permission(user, action):
            return Device.objects.none()
        if user.is_superuser:
            return Device.objects.all()
        return Device.objects.filter(initiative__in=initiatives_for(user))

    def user_has_permission_for_instance(self, user, action, instance):
        return self.instances_user_has_permission_for(user, action).filter(pk=instance.pk).exists()

    def users_with_any_permission(self, actions):
        raise NotImplementedError


class DeviceForm(ReferencesInScopeMixin, WagtailAdminModelForm):
    # The initiative is a list of the editor's own; the mixin refuses (and never shows) any
    # other page id, as on every admin form with a chooser (accounts.references).
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if "initiative" in self.fields and user is not None:
            field = self.fields["initiative"]
            field.queryset = initiatives_for(user)
            # A list of the editor's own initiatives, not Wagtail's chooser of every page.
            field.widget = forms.Select(choices=field.choices)
        if self.instance.pk and "key" in self.fields:
            # Readings, topics and cards name the device by its key: it stays.
            self.fields["key"].disabled = True
            self.fields["key"].help_text = _("The key cannot change: readings and cards use it.")


def device_scope(view):
    return view.permission_policy.instances_user_has_permission_for(view.request.user, "change")


class DeviceIndexView(generic.IndexView):
    def get_base_queryset(self):
        return device_scope(self).select_related("initiative")

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        export_name = self.index_url_name.rsplit(":", 1)[0] + ":export"
        for initiative in initiatives_for(self.request.user):
            if export.may_export(self.request.user, initiative):
                buttons.append(
                    HeaderButton(
                        _("Yields of %(initiative)s (CSV)") % {"initiative": initiative.title},
                        url=reverse(export_name, args=[initiative.pk]),
                        icon_name="download",
                    )
                )
        return buttons


class DeviceCreateView(generic.CreateView):
    def form_valid(self, form):
        self.form = form
        self.object = self.save_instance()
        token = tokens.issue_token(self.object)
        return token_shown(self.request, self.object, token, self.edit_url_name)


class DeviceEditView(generic.EditView):
    def get_object(self, queryset=None):
        return get_object_or_404(device_scope(self), pk=self.kwargs[self.pk_url_kwarg])


class DeviceDeleteView(generic.DeleteView):
    def get_object(self, queryset=None):
        return get_object_or_404(device_scope(self), pk=self.kwargs.get(self.pk_url_kwarg, self.pk if hasattr(self, "pk") else None))


def token_shown(request, device, token, edit_url_name):
    token_url_name = edit_url_name.rsplit(":", 1)[0] + ":token"
    return TemplateResponse(
        request,
        "blocks/sensors/token.html",
        {
            "device": device,
            "token": token,
            "edit_url": reverse(edit_url_name, args=[device.pk]),
            "token_url": reverse(token_url_name, args=[device.pk]),
            "readings_url": request.build_absolute_uri(reverse("sensors:readings")),
            "page_title": _("Token of %(device)s") % {"device": device.name},
        },
    )


class DeviceViewSet(ModelViewSet):
    model = Device
    icon = "cogs"
    menu_label = gettext_lazy("Sensors")
    menu_order = 250
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = DeviceIndexView
    add_view_class = DeviceCreateView
    edit_view_class = DeviceEditView
    delete_view_class = DeviceDeleteView
    list_display = ["name", "key", "initiative", "has_token", "created_at"]
    search_fields = ["name", "key"]
    list_filter = []

    def get_edit_handler(self):
        return ObjectList(
            [
                HelpPanel(template="blocks/sensors/token_panel.html", heading=gettext_lazy("Token")),
                FieldPanel("initiative"),
                FieldPanel("name"),
                FieldPanel("key"),
                FieldPanel("producer"),
                PlacePanel("latitude", "longitude", heading=gettext_lazy("Where it is")),
                InlinePanel(
                    "metrics",
                    heading=gettext_lazy("Metrics"),
                    label=gettext_lazy("Metric"),
                    min_num=1,
                    panels=[
                        FieldRowPanel([FieldPanel("key"), FieldPanel("name"), FieldPanel("unit")]),
                        FieldRowPanel([FieldPanel("minimum"), FieldPanel("maximum"), FieldPanel("cumulative")]),
                        FieldPanel("source"),
                    ],
                ),
            ],
            base_form_class=DeviceForm,
        ).bind_to_model(Device)

    def token_view(self, request, pk):
        """GET: the token's state and what can be done; POST: rotate (shown once) or revoke."""
        policy = self.permission_policy
        device = get_object_or_404(policy.instances_user_has_permission_for(request.user, "change"), pk=pk)
        if request.method == "POST":
            action = request.POST.get("action")
            if action == "rotate":
                return token_shown(request, device, tokens.issue_token(device), self.get_url_name("edit"))
            if action == "revoke":
                tokens.revoke_token(device)
                messages.success(request, _("The token of %(device)s is revoked: the device can no longer send readings.") % {"device": device.name})
        return TemplateResponse(
            request,
            "blocks/sensors/token.html",
            {
                "device": device,
                "token": None,
                "edit_url": reverse(self.get_url_name("edit"), args=[device.pk]),
                "token_url": reverse(self.get_url_name("token"), args=[device.pk]),
                "page_title": _("Token of %(device)s") % {"device": device.name},
            },
        )

    def export_view(self, request, initiative_id):
        """The compensation CSV of one initiative, for its frontrunners."""
        initiative = get_object_or_404(initiatives_for(request.user), pk=initiative_id)
        if not export.may_export(request.user, initiative):
            raise PermissionDenied
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="yields-{initiative.slug}.csv"'
        export.write_yields_csv(initiative, response)
        return response

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("token/<int:pk>/", self.token_view, name="token"),
            path("yields/<int:initiative_id>.csv", self.export_view, name="export"),
        ]

