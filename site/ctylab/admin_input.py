"""Narrow wrappers around Wagtail admin views that answered bad input with a server error.

Found by posting to every admin URL empty and with garbage (tests/accounts/test_admin_bad_posts.py),
Wagtail 8.0.1. Each wrapper answers 400 (or the form with its error) before Wagtail's view
would fail, and changes nothing; with good input Wagtail's own view does all the work.
``urlpatterns`` is included under ``admin/`` before Wagtail's admin URLs.

- ``set_position`` of the tree's root: its parent is None (an AttributeError).
- The external-link chooser without its URL field: ``None.startswith`` in the field's validator.
- Copying a page without an existing ``new_parent_page``: ``Page.objects.get(id=request.POST[...])``.
- The redirects import's second step without its signed fields: a KeyError in the form's clean.
- ``failwhale/``: a view that fails on purpose, to test the error page; not for production.

Streams without their management fields (every page, snippet and model form) are handled at the
form field (``blocks.widgets.StreamFormField``).
"""

from functools import wraps

from django.http import Http404, HttpResponseBadRequest
from django.urls import path
from wagtail.admin.forms.choosers import ExternalLinkChooserForm, URLOrAbsolutePathField
from wagtail.admin.views.chooser import ExternalLinkView
from wagtail.admin.views.pages.ordering import SetPagePositionView
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.contrib.redirects.views import process_import


def requires_posted(*fields):
    """A POST to the view must carry every one of ``fields`` (non-empty), else 400."""

    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if request.method == "POST" and not all(request.POST.get(field) for field in fields):
                return HttpResponseBadRequest()
            return view(request, *args, **kwargs)

        return guarded

    return decorate


def not_the_root(view):
    """The page in ``page_to_move_id`` must have a parent (the tree's root has none)."""

    @wraps(view)
    def guarded(request, page_to_move_id, *args, **kwargs):
        from wagtail.models import Page

        page = Page.objects.filter(pk=page_to_move_id).only("depth").first()
        if page is not None and page.depth == 1:
            return HttpResponseBadRequest()
        return view(request, page_to_move_id, *args, **kwargs)

    return guarded


class PresentURLOrAbsolutePathField(URLOrAbsolutePathField):
    def to_python(self, value):
        if value in self.empty_values:
            return ""  # "This field is required", not None.startswith
        return super().to_python(value)


class CheckedExternalLinkChooserForm(ExternalLinkChooserForm):
    url = PresentURLOrAbsolutePathField(required=True, label=ExternalLinkChooserForm.base_fields["url"].label)


class CheckedExternalLinkView(ExternalLinkView):
    form_class = CheckedExternalLinkChooserForm


def not_served(request):
    raise Http404


urlpatterns = [
    path(
        "pages/<int:page_to_move_id>/set_position/",
        not_the_root(SetPagePositionView.as_view()),
        name="ctylab_checked_set_page_position",
    ),
    path("choose-external-link/", CheckedExternalLinkView.as_view(), name="ctylab_checked_external_link"),
    path("redirects/import/process/", requires_posted("import_file_name", "input_format")(process_import)),
    path("failwhale/", not_served),
]


def copy_needs_destination(view):
    """A posted copy names an existing destination page (Wagtail looks it up before validating)."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        from wagtail.models import Page

        if request.method == "POST":
            destination = request.POST.get("new_parent_page", "")
            if not (destination.isascii() and destination.isdigit() and Page.objects.filter(pk=destination).exists()):
                return HttpResponseBadRequest()
        return view(request, *args, **kwargs)

    return guarded


def copy_view():
    """Wagtail's copy view behind :func:`copy_needs_destination`; ``accounts.admin_urls`` mounts
    it behind its scope check too (one URL resolves once)."""
    return copy_needs_destination(page_viewset_registry.as_view("copy", page_id_kwarg="page_id"))
