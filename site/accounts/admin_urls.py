"""Guarded versions of a few Wagtail admin URLs (see ``accounts.admin_guards``).

Included under ``admin/`` *before* Wagtail's admin URLs, so these paths resolve here first;
each wraps Wagtail's own view, which still does all the work.
"""

from django.urls import path
from wagtail.admin.views import chooser
from wagtail.admin.views.bulk_action import index as bulk_action_index
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.viewsets.pages import page_viewset_registry

from . import admin_guards as guards

urlpatterns = [
    path(
        "choose-page/<int:parent_page_id>/",
        guards.chooser_browse(chooser.BrowseView.as_view()),
        name="accounts_guarded_choose_page_child",
    ),
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
        "bulk/<str:app_label>/<str:model_name>/<str:action>/",
        guards.bulk_pages(bulk_action_index),
        name="accounts_guarded_bulk_action",
    ),
]
