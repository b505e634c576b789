from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("initiative/<int:page_id>/decisions/", views.decisions, name="decisions"),
    path("initiative/<int:page_id>/join/", views.join, name="join"),
    path("proposals/<uuid:proposal_uuid>/", views.proposal, name="proposal"),
    path("proposals/<uuid:proposal_uuid>/vote/", views.vote, name="vote"),
    path("proposals/<uuid:proposal_uuid>/receipt/", views.receipt, name="receipt"),
    path("proposals/<uuid:proposal_uuid>/cancel/", views.cancel, name="cancel"),
    path("proposals/<uuid:proposal_uuid>/follow-up/", views.follow_up, name="follow_up"),
]
