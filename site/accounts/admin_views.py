"""Wagtail's file listings and image chooser with tag filters drawn from the user's scope.

Wagtail 8.0.1 offers "the ten most popular tags" of all images (or documents) as a filter in
the image and document listings and the image chooser, whatever collections the user may
see: an initiative's editor read the tags other initiatives gave their files. These
subclasses compute the same list from the files in the user's scope
(``accounts.admin_guards.in_scope``); ``accounts.admin_urls`` mounts them at Wagtail's paths.
"""

import copy

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from wagtail.documents.views.documents import DocumentsFilterSet
from wagtail.documents.views.documents import IndexView as DocumentsIndexView
from wagtail.images.views import chooser as image_chooser
from wagtail.images.views.images import ImagesFilterSet
from wagtail.images.views.images import IndexView as ImagesIndexView

from .admin_guards import in_scope

POPULAR_TAGS = 10  # as Wagtail's popular_tags_for_model


def popular_tags_in_scope(user, model, count=POPULAR_TAGS):
    """The ``count`` tags used most on the instances of ``model`` in the user's scope."""
    from taggit.models import Tag

    content_type = ContentType.objects.get_for_model(model)
    return (
        Tag.objects.filter(
            taggit_taggeditem_items__content_type=content_type,
            taggit_taggeditem_items__object_id__in=in_scope(user, model).values("pk"),
        )
        .annotate(item_count=Count("taggit_taggeditem_items"))
        .order_by("-item_count", "name")[:count]
    )


class ScopedTagsMixin:
    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, is_searching=None):
        super().__init__(data, queryset, request=request, prefix=prefix, is_searching=is_searching)
        if "tag" in self.filters:
            tags = popular_tags_in_scope(request.user, self._meta.model)
            choices = [(tag.name, tag.name) for tag in tags]
            if choices:
                self.filters["tag"].extra["choices"] = choices
            else:
                del self.filters["tag"]


class ScopedImagesFilterSet(ScopedTagsMixin, ImagesFilterSet):
    pass


class ScopedDocumentsFilterSet(ScopedTagsMixin, DocumentsFilterSet):
    pass


class ScopedImagesIndexView(ImagesIndexView):
    filterset_class = ScopedImagesFilterSet


class ScopedDocumentsIndexView(DocumentsIndexView):
    filterset_class = ScopedDocumentsFilterSet


class ScopedImageChooseView(image_chooser.ImageChooseView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["popular_tags"] = popular_tags_in_scope(self.request.user, self.model)
        return context


def image_choose_view():
    """Wagtail's image chooser view, built as its viewset builds it, with scoped tags."""
    viewset = copy.copy(image_chooser.viewset)
    viewset.choose_view_class = ScopedImageChooseView
    return viewset.choose_view
