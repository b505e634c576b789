"""The project's URLs plus one view that fails, to see the 500 page's headers."""

from django.urls import path

from ctylab.urls import urlpatterns as project_urlpatterns


def fail(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("fail/", fail), *project_urlpatterns]
