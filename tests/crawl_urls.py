"""A URL configuration for testing the crawl itself (tests/test_crawl.py): the project's URLs
and three small pages under /crawl-test/, one of which links to a page that refuses and to
one that does not exist."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import include, path


def _links(request):
    return HttpResponse(
        '<a href="/crawl-test/open/">open</a> <a href="/crawl-test/refused/">refused</a> '
        '<a href="/crawl-test/missing/">missing</a> <a href="/">home</a>'
    )


def _open(request):
    return HttpResponse('<a href="/crawl-test/links/">back</a>')


def _refused(request):
    raise PermissionDenied


urlpatterns = [
    path("crawl-test/links/", _links),
    path("crawl-test/open/", _open),
    path("crawl-test/refused/", _refused),
    path("", include("config.urls")),
]
