"""The catalogue as editors see it: browse (read-only), preview, and add a card to a page.

Any admin user may browse; adding a card needs edit permission on the chosen page. Site
admins change the catalogue through the modeladmin views (see ``wagtail_hooks``).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import services
from .forms import StartInitiativeForm
from .models import CardPreset, CardTypeEntry


def offered_entries():
    """Card types editors can see: registered ones, with their presets that are not retired."""
    presets = CardPreset.objects.filter(retired=False).order_by("position", "name")
    return CardTypeEntry.objects.prefetch_related(Prefetch("presets", queryset=presets, to_attr="offered_presets"))


class CatalogueMixin(WagtailAdminTemplateMixin):
    header_icon = "table"

    @cached_property
    def pages(self):
        return list(services.pages_for_cards(self.request.user))

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": reverse("catalogue:browse"), "label": _("Card catalogue")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pages"] = self.pages
        return context


class BrowseView(CatalogueMixin, TemplateView):
    template_name = "catalogue/browse.html"
    page_title = _("Card catalogue")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:100]
        category = self.request.GET.get("category", "").strip()[:60]
        entries = offered_entries()
        if query:
            entries = entries.filter(
                Q(name__icontains=query)
                | Q(display_name_en__icontains=query)
                | Q(display_name_nl__icontains=query)
                | Q(description_en__icontains=query)
                | Q(description_nl__icontains=query)
                | Q(help_text__icontains=query)
                | Q(category__icontains=query)
                | Q(presets__name__icontains=query, presets__retired=False)
                | Q(presets__description__icontains=query, presets__retired=False)
            ).distinct()
        if category:
            entries = entries.filter(category=category)
        context.update(
            entries=[entry for entry in entries if not entry.is_missing],
            query=query,
            category=category,
            categories=sorted(
                {name for name in CardTypeEntry.objects.values_list("category", flat=True) if name},
                key=str.casefold,
            ),
        )
        return context


class DetailView(CatalogueMixin, TemplateView):
    template_name = "catalogue/detail.html"

    @cached_property
    def entry(self):
        entry = get_object_or_404(offered_entries(), name=self.kwargs["name"])
        if entry.is_missing:
            raise Http404
        return entry

    def get_page_title(self):
        return str(self.entry.display_name)

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(entry=self.entry, **kwargs)


@method_decorator(xframe_options_sameorigin, name="dispatch")
class PreviewView(TemplateView):
    """A card as visitors would see it, with the public stylesheet (shown in an iframe)."""

    template_name = "catalogue/preview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        preset = None
        if "preset" in self.kwargs:
            preset = get_object_or_404(CardPreset.objects.select_related("card_type"), pk=self.kwargs["preset"])
            entry = preset.card_type
        else:
            entry = get_object_or_404(CardTypeEntry, name=self.kwargs["name"])
        if entry.block is None:
            raise Http404
        block = entry.block
        raw = block.get_prep_value(block.meta.preview_value) if block.meta.preview_value else {}
        raw.update(entry.default_values or {})
        if preset is not None:
            raw.update(preset.values or {})
        context.update(
            entry=entry,
            preset=preset,
            card=block.bind(block.to_python(raw)),
            summary=preset.contract_summary if preset is not None else entry.contract_summary,
        )
        return context


@require_POST
def add_card(request):
    """Add a card of a type, or a preset, to one of the editor's pages as a draft."""
    preset = entry = None
    if request.POST.get("preset"):
        if not request.POST["preset"].isdigit():
            raise Http404
        preset = get_object_or_404(CardPreset.objects.select_related("card_type"), pk=request.POST["preset"])
        back = reverse("catalogue:detail", args=[preset.card_type.name])
    else:
        entry = get_object_or_404(CardTypeEntry, name=request.POST.get("card_type", ""))
        back = reverse("catalogue:detail", args=[entry.name])
    try:
        page_id = int(request.POST.get("page", ""))
    except ValueError:
        messages.error(request, _("Choose the page to add the card to."))
        return redirect(back)
    try:
        page = services.editable_page(request.user, page_id)
        services.add_card(page, request.user, entry=entry, preset=preset)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You may not edit that page."))
        return redirect(back)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    label = preset.name if preset is not None else entry.display_name
    messages.success(
        request,
        _("“%(card)s” was added to “%(page)s” as a draft. Review it here and publish when ready.")
        % {"card": label, "page": page.title},
    )
    return redirect("wagtailadmin_pages:edit", page.pk)



class StartInitiativeView(WagtailAdminTemplateMixin, FormView):
    """A new initiative from a starter, in one step: the editor lands in its page editor.

    Any admin user may open it; the pages offered as parent are those where the user may add
    an initiative, and the service checks that permission again.
    """

    template_name = "catalogue/start.html"
    form_class = StartInitiativeForm
    page_title = _("New initiative from a starter")
    header_icon = "plus"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        initial = super().get_initial()
        parent = self.request.GET.get("parent", "")
        if parent.isdigit():
            initial["parent"] = int(parent)
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context["can_start"] = form.fields["parent"].queryset.exists()
        context["has_starters"] = form.fields["starter"].queryset.exists()
        return context

    def form_valid(self, form):
        starter = form.cleaned_data["starter"]
        try:
            page = services.start_initiative(
                self.request.user, form.cleaned_data["parent"], starter, form.page_fields()
            )
        except (PermissionDenied, ValidationError) as error:
            problems = error.messages if isinstance(error, ValidationError) else [str(error)]
            for problem in problems:
                form.add_error(None, problem)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("“%(page)s” was created from the starter “%(starter)s” as a draft. Check the cards and publish.")
            % {"page": page.title, "starter": starter.name},
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
