from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts import views as accounts_views
from initiatives.scope import page_of_this_site

urlpatterns = [
    # Before the admins: their login pages redirect to allauth's (rate limits, two-factor).
    path("admin/login/", accounts_views.admin_login_redirect),
    path("django-admin/login/", accounts_views.admin_login_redirect),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("django-admin/", admin.site.urls),
    # Permission guards in front of a few Wagtail admin views; everything else is Wagtail's.
    path("admin/", include("accounts.admin_urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", set_language, name="set_language"),
    # Before Wagtail's catch-all: the platform's search (one initiative's on its own domain).
    path("search/", include("search.urls")),
    # Voting from election cards, decisions and receipt checks (on initiative domains too).
    path("governance/", include("governance.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    # Wagtail's password form for a restricted page names the page: only this site's pages.
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        page_of_this_site(wagtail_views.authenticate_with_password),
    ),
    path("", include(wagtail_urls)),
]
