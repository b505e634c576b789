"""Guarded versions of Wagtail admin URLs that take ids (see ``accounts.admin_guards``).

Included under ``admin/`` *before* Wagtail's admin URLs, so these paths resolve here first;
each wraps Wagtail's own view, which still does all the work.
"""

from django.urls import path
from wagtail.admin.views import chooser, tags
from wagtail.admin.views.bulk_action import index as bulk_action_index
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.viewsets.pages import page_viewset_registry

from ctylab import admin_input

from . import admin_guards as guards
from . import admin_views

urlpatterns = [
    path(
        "choose-page/<int:parent_page_id>/",
        guards.chooser_browse(chooser.BrowseView.as_view()),
        name="accounts_guarded_choose_page_child",
    ),
    path(
        "choose-page/chosen-multiple/",
        guards.only_ids_in_scope("wagtailcore.Page")(chooser.ChosenMultipleView.as_view()),
        name="accounts_guarded_choose_page_chosen_multiple",
    ),
    path("tag-autocomplete/", guards.tags_in_scope(tags.autocomplete), name="accounts_guarded_tag_autocomplete"),
    path(
        "tag-autocomplete/<slug:app_name>/<slug:model_name>/",
        guards.tags_in_scope(tags.autocomplete),
        name="accounts_guarded_tag_model_autocomplete",
    ),
    path("images/", admin_views.ScopedImagesIndexView.as_view(), name="accounts_scoped_images"),
    path(
        "images/results/",
        admin_views.ScopedImagesIndexView.as_view(results_only=True),
        name="accounts_scoped_images_results",
    ),
    path("documents/", admin_views.ScopedDocumentsIndexView.as_view(), name="accounts_scoped_documents"),
    path(
        "documents/results/",
        admin_views.ScopedDocumentsIndexView.as_view(results_only=True),
        name="accounts_scoped_documents_results",
    ),
    path("images/chooser/", admin_views.image_choose_view(), name="accounts_scoped_image_chooser"),
    path(
        "reports/page-types-usage/",
        guards.superusers_only(PageTypesUsageReportView.as_view()),
        name="accounts_guarded_page_types_usage",
    ),
    path(
        "reports/page-types-usage/results/",
        guards.superusers_only(PageTypesUsageReportView.as_view(results_only=True)),
        name="accounts_guarded_page_types_usage_results",
    ),
    path(
        "pages/workflow/confirm_cancellation/<int:page_id>/",
        guards.page_permission("can_edit")(
            page_viewset_registry.as_view("confirm_workflow_cancellation", page_id_kwarg="page_id")
        ),
        name="accounts_guarded_confirm_workflow_cancellation",
    ),
    path(
        "pages/workflow/preview/<int:page_id>/<int:task_id>/",
        guards.reviewing(page_viewset_registry.as_view("workflow_preview", page_id_kwarg="page_id")),
        name="accounts_guarded_workflow_preview",
    ),
    path(
        "pages/<int:page_id>/copy/",
        guards.posted_ids_in_scope("wagtailcore.Page", "new_parent_page")(admin_input.copy_view()),
        name="accounts_guarded_copy",
    ),
    path(
        "bulk/<str:app_label>/<str:model_name>/<str:action>/",
        guards.posted_ids_in_scope("wagtailcore.Page", "chooser", required=False)(guards.bulk_action(bulk_action_index)),
        name="accounts_guarded_bulk_action",
    ),
]
