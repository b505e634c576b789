from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts import mfa_views
from accounts import views as accounts_views
from ctylab import media, serving
from initiatives.scope import page_of_this_site

urlpatterns = [
    # Before the admins and Wagtail: every login page redirects to allauth's (rate limits,
    # e-mail verification, two-factor); accounts.signin_gate signs out any other session.
    path("admin/login/", accounts_views.login_redirect),
    path("django-admin/login/", accounts_views.login_redirect),
    path("_util/login/", accounts_views.login_redirect),
    # allauth's two-factor set-up, leading on to where the user was going (accounts.mfa_views).
    path("accounts/2fa/totp/activate/", mfa_views.activate_totp, name="mfa_activate_totp"),
    path("accounts/2fa/recovery-codes/", mfa_views.view_recovery_codes, name="mfa_view_recovery_codes"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("django-admin/", admin.site.urls),
    # Permission guards in front of a few Wagtail admin views; everything else is Wagtail's.
    path("admin/", include("accounts.admin_urls")),
    # Wagtail admin views that failed on bad input, answering 400 first (ctylab.admin_input).
    path("admin/", include("ctylab.admin_input")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Without a CSRF token, so pages carry no token and anonymous visitors get no cookie (which
    # lets a cache keep their pages). Safe: the view only stores a language from LANGUAGES in
    # the visitor's own cookie and redirects only to a same-site `next`; a forged request could
    # at worst switch someone's language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    # Before Wagtail's catch-all: the platform's search (one initiative's on its own domain).
    path("search/", include("search.urls")),
    # Voting from election cards, decisions and receipt checks (on initiative domains too).
    path("governance/", include("governance.urls")),
    # Devices post readings; sensor cards fetch their latest points.
    path("sensors/", include("blocks.sensors.urls")),
    # Open data: initiatives, cards, decisions, the governance log and readings (read-only).
    path("api/v2/", include("opendata.urls")),
    # Sealed quotes on tender cards, receipts and organisations (on initiative domains too).
    path("tenders/", include("tenders.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

urlpatterns += media.urlpatterns()
urlpatterns += [
    # Wagtail's password form for a restricted page names the page: only this site's pages.
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        page_of_this_site(wagtail_views.authenticate_with_password),
    ),
    # Wagtail's page view, its root page fetched in one query (ctylab.serving).
    re_path(wagtail_urls.serve_pattern, serving.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
]
