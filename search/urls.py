from django.urls import path

from . import views

app_name = "ctylab_search"

urlpatterns = [path("", views.search, name="search")]
