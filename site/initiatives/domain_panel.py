"""The Domain panel of the initiative's editor page: its domains, its requests, and a field to
add one.

The field is not a model field: ``InitiativePageForm`` declares it and checks the hostname
while the rest of the page is validated (errors show on the field, nothing is saved). What it
does happens after Wagtail saved the page (the ``after_edit_page`` hook in wagtail_hooks.py
calls ``domains.add_from_editor``), never while a preview is rendered from the same form.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

FIELD_NAME = "new_domain"


def domain_field():
    return forms.CharField(
        label=_("Add a domain"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}),
    )


def prepare(form):
    """Shape the field for the form's user: gone on a new page (it has no id to point a Site
    at yet); "Add" for site admins (attached at once), "Request" for other editors."""
    from . import domains

    if FIELD_NAME not in form.fields:
        return
    if not form.instance.pk:
        del form.fields[FIELD_NAME]
        return
    field = form.fields[FIELD_NAME]
    if domains.is_site_admin(form.for_user):
        field.label = _("Add a domain")
        field.help_text = _(
            "For example buurt.example.org — without http:// or a path. Saving the page attaches "
            "it; point the domain name's DNS at this platform."
        )
    else:
        field.label = _("Request a domain")
        field.help_text = _(
            "For example buurt.example.org — without http:// or a path. Saving the page sends "
            "the request to a site admin, who approves it."
        )


def clean(form, value):
    """The typed hostname in its normal form, or "" (ValidationError when it is not free)."""
    from . import domains

    if not (value or "").strip():
        return ""
    return domains.checked_hostname(form.instance, value)


class DomainPanel(FieldPanel):
    """``FieldPanel("new_domain")`` with the initiative's domains and requests above the field."""

    def __init__(self, field_name=FIELD_NAME, **kwargs):
        kwargs.setdefault("disable_comments", True)
        super().__init__(field_name, **kwargs)

    class BoundPanel(FieldPanel.BoundPanel):
        template_name = "initiatives/panels/domain_panel.html"

        def get_context_data(self, parent_context=None):
            from .models import DomainRequest

            context = super().get_context_data(parent_context)
            page = self.instance
            context["domains"] = list(page.domains.all()) if page.pk else []
            requests = DomainRequest.objects.filter(initiative_id=page.pk).exclude(
                status=DomainRequest.Status.APPROVED
            )
            context["domain_requests"] = list(requests.select_related("decided_by")[:10])
            return context
