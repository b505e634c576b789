from django.urls import path

from . import views

app_name = "sensors"

urlpatterns = [
    path("api/readings/", views.readings, name="readings"),
    path("api/sensor-community/", views.sensor_community, name="sensor_community"),
    path("api/things-stack/", views.things_stack, name="things_stack"),
]
