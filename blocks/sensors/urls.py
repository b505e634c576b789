from django.urls import path

from . import card_views, views

app_name = "sensors"

urlpatterns = [
    path("api/readings/", views.readings, name="readings"),
    path("api/sensor-community/", views.sensor_community, name="sensor_community"),
    path("api/things-stack/", views.things_stack, name="things_stack"),
    path("cards/<int:page_id>/<str:block_id>/", card_views.card_series, name="card"),
]
