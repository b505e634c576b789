"""The admin API's image and document endpoints, narrowed to the user's admin scope.

Wagtail 8.0.1's ``/admin/api/main/images/`` and ``/documents/`` list (and show by id) every
file outside privacy-restricted collections, whatever the user's collection permissions;
these subclasses answer only with what ``accounts.admin_guards.in_scope`` allows (for an
initiative's editors: the files in their initiative's collection). The page endpoint already
uses Wagtail's explorable pages.
"""

from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet

from .admin_guards import in_scope


class ScopedMixin:
    def get_queryset(self):
        return super().get_queryset().filter(pk__in=in_scope(self.request.user, self.model).values("pk"))


class ScopedImagesAdminAPIViewSet(ScopedMixin, ImagesAdminAPIViewSet):
    pass


class ScopedDocumentsAdminAPIViewSet(ScopedMixin, DocumentsAdminAPIViewSet):
    pass
