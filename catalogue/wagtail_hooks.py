"""Admin wiring of the catalogue: the editors' catalogue, the site admins' modeladmin views,
and how catalogue changes read in Wagtail's history."""

from django.contrib.admin import display
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.http import HttpResponseBadRequest
from django.urls import include, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.log_actions import LogFormatter
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import EditView, IndexView, ModelFormView

from . import services, views
from .models import CardPreset, CardTypeEntry, Starter

# --- the catalogue as editors browse it --------------------------------------------------------


@hooks.register("register_admin_urls")
def catalogue_urls():
    urls = [
        path("", views.BrowseView.as_view(), name="browse"),
        path("add/", views.add_card, name="add"),
        path("start/", views.StartInitiativeView.as_view(), name="start"),
        path("preview/preset/<int:preset>/", views.PreviewView.as_view(), name="preview_preset"),
        path("preview/<slug:name>/", views.PreviewView.as_view(), name="preview"),
        path("<slug:name>/", views.DetailView.as_view(), name="detail"),
    ]
    return [path("card-catalogue/", include((urls, "catalogue"), namespace="catalogue"))]


@hooks.register("register_admin_menu_item")
def catalogue_menu_item():
    return MenuItem(
        _("Card catalogue"), reverse("catalogue:browse"), name="card-catalogue", icon_name="table", order=250
    )


@hooks.register("register_admin_menu_item")
def start_initiative_menu_item():
    return MenuItem(
        _("New initiative"), reverse("catalogue:start"), name="new-initiative", icon_name="plus", order=150
    )


# --- the catalogue as site admins manage it (wagtail-modeladmin) ------------------------------


class CardTypePermissionHelper(PermissionHelper):
    """Card types come from code: their rows are made automatically and never deleted."""

    def user_can_create(self, user):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class ChangeLoggingEditView(EditView):
    def form_valid(self, form):
        # ModelFormView saves, reports and redirects; EditView's own form_valid would add a
        # bare "Edited" entry, where ours records which fields changed, before and after.
        with transaction.atomic():
            response = ModelFormView.form_valid(self, form)
            services.log_changes(self.instance, form, self.request.user)
        return response


class CheckedIndexView(IndexView):
    """wagtail_modeladmin's listing, answering 400 to query parameters it cannot filter by.

    It turns every unknown query parameter into a queryset filter and raises Django admin's
    IncorrectLookupParameters for ``?id=x`` or ``?ordering=…``, which Django's own admin
    catches and wagtail_modeladmin does not (a server error).
    """

    def dispatch(self, request, *args, **kwargs):
        try:
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
        except IncorrectLookupParameters:
            return HttpResponseBadRequest()
        return response


class CardTypeIndexView(CheckedIndexView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        usage = services.usage_by_type()
        for entry in context["object_list"]:
            entry.usage = usage.get(entry.name, services.Usage())
        return context


class CardTypeAdmin(ModelAdmin):
    model = CardTypeEntry
    menu_label = _("Card types")
    menu_icon = "table"
    permission_helper_class = CardTypePermissionHelper
    index_view_class = CardTypeIndexView
    edit_view_class = ChangeLoggingEditView
    list_display = ("display_name", "name", "category", "status", "when_disabled", "used_on")
    list_filter = ("enabled", "category")
    search_fields = ("name", "display_name_en", "display_name_nl", "description_en", "description_nl", "category")
    panels = [
        MultiFieldPanel([FieldPanel("enabled"), FieldPanel("when_disabled")], heading=_("Availability")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("display_name_en"), FieldPanel("display_name_nl")]),
                FieldPanel("description_en"),
                FieldPanel("description_nl"),
            ],
            heading=_("Name and description"),
        ),
        FieldRowPanel([FieldPanel("category"), FieldPanel("icon")]),
        FieldPanel("help_text"),
        FieldPanel("default_values"),
        FieldPanel("contract"),
    ]

    @display(description=_("status"))
    def status(self, obj):
        if obj.is_missing:
            return _("Missing: no longer registered in code")
        return _("Enabled") if obj.enabled else _("Switched off")

    @display(description=_("used on"))
    def used_on(self, obj):
        usage = getattr(obj, "usage", None)
        if usage is None or not usage.cards:
            return _("Not used")
        links = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((reverse("wagtailadmin_pages:edit", args=[pk]), title) for pk, title in usage.pages),
        )
        count = ngettext("%(cards)d card on", "%(cards)d cards on", usage.cards) % {"cards": usage.cards}
        return format_html("{} {}", count, links)


class CardPresetAdmin(ModelAdmin):
    model = CardPreset
    menu_label = _("Presets")
    menu_icon = "form"
    index_view_class = CheckedIndexView
    edit_view_class = ChangeLoggingEditView
    list_display = ("name", "card_type", "position", "retired")
    list_filter = ("retired", "card_type")
    search_fields = ("name", "description")
    ordering = ("position", "name")
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("card_type")]),
        FieldPanel("description"),
        FieldPanel("values"),
        FieldPanel("contract"),
        FieldRowPanel([FieldPanel("position"), FieldPanel("retired")]),
    ]


class StarterAdmin(ModelAdmin):
    model = Starter
    menu_label = _("Starters")
    menu_icon = "plus"
    index_view_class = CheckedIndexView
    edit_view_class = ChangeLoggingEditView
    list_display = ("name", "card_list", "position", "retired")
    list_filter = ("retired",)
    search_fields = ("name", "description")
    ordering = ("position", "name")
    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        InlinePanel("cards", heading=_("Cards"), label=_("Card"), min_num=1),
        FieldRowPanel([FieldPanel("position"), FieldPanel("retired")]),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("cards__preset")

    @display(description=_("cards"))
    def card_list(self, obj):
        return ", ".join(row.preset.name for row in obj.cards.all())


class CatalogueSettings(ModelAdminGroup):
    menu_label = _("Catalogue settings")
    menu_icon = "cog"
    menu_order = 260
    items = (CardTypeAdmin, CardPresetAdmin, StarterAdmin)


modeladmin_register(CatalogueSettings)


# --- history -----------------------------------------------------------------------------------


@hooks.register("register_log_actions")
def catalogue_log_actions(actions):
    actions.register_action("catalogue.register", _("Register card type"), _("Registered from code"))
    actions.register_action("catalogue.enable", _("Switch card type on"), _("Switched on"))
    actions.register_action("catalogue.disable", _("Switch card type off"), _("Switched off"))
    actions.register_action("catalogue.retire", _("Retire preset"), _("Retired"))
    actions.register_action("catalogue.reinstate", _("Offer preset again"), _("Offered again"))

    @actions.register_action("catalogue.edit")
    class ChangedFields(LogFormatter):
        label = _("Change catalogue entry")

        def format_message(self, log_entry):
            model = log_entry.content_type.model_class()
            order = [field.name for field in model._meta.fields]
            changed = sorted(
                (log_entry.data or {}).get("changes", {}),  # JSON keys come back in any order
                key=lambda name: (order.index(name) if name in order else len(order), name),
            )
            names = []
            for name in changed:
                try:
                    names.append(str(model._meta.get_field(name).verbose_name))
                except FieldDoesNotExist:  # renamed since: show the name it had
                    names.append(name)
            return _("Changed %(fields)s") % {"fields": ", ".join(names)}

    @actions.register_action("catalogue.start")
    class StartedFromStarter(LogFormatter):
        label = _("Create from a starter")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return _("Created from the starter “%(starter)s” with %(cards)s") % {
                "starter": data.get("starter", ""),
                "cards": ", ".join(data.get("presets") or []),
            }

    @actions.register_action("catalogue.add_card")
    class AddedCard(LogFormatter):
        label = _("Add card from the catalogue")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            card = data.get("label") or data.get("card_type")
            if data.get("preset"):
                return _("Added the preset “%(preset)s” (%(card)s card) from the catalogue") % {
                    "preset": data["preset"],
                    "card": card,
                }
            return _("Added a card from the catalogue: %(card)s") % {"card": card}
