from django.urls import path

from . import views

app_name = "tenders"

urlpatterns = [
    path("initiative/<int:page_id>/<str:block_id>/quote/", views.quote, name="quote"),
    path("initiative/<int:page_id>/<str:block_id>/withdraw/", views.withdraw, name="withdraw"),
    path("quotes/<uuid:quote_uuid>/", views.my_quote, name="my_quote"),
    path("quotes/<uuid:quote_uuid>/attachment/", views.attachment, name="attachment"),
    path("<uuid:tender_uuid>/check/", views.check, name="check"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/<int:organisation_id>/", views.organisation, name="organisation"),
]
