"""The public search page: the whole platform on its own domain, one initiative on its domain."""

import logging

from django.db import DatabaseError
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from wagtail.models import Site

from . import services
from .backends.base import SearchUnavailable
from .forms import SearchForm, kind_labels
from .highlight import hit_context

logger = logging.getLogger(__name__)

FACET_PARAMS = {"kind": "type", "ambition": "ambition", "municipality": "place"}


def search_scope(request):
    """(tree path, title of the initiative or None): the site's root page decides."""
    site = Site.find_for_request(request)
    if site is None:
        return "", None, None
    root = site.root_page
    scoped = issubclass(root.specific_class or type(root), services.page_model())
    return root.path, (root.title if scoped else None), site


@require_safe
def search(request):
    scope, initiative_title, site = search_scope(request)
    form = SearchForm(request.GET)
    query = form.to_query(scope=scope)
    typed = bool(form.parsed.text)
    results, unavailable = None, False
    if typed and not query.terms:
        form.notices.append(_("Your search has no words we can look for. Try other words."))
    else:
        try:
            # Pages whose deadlines passed are re-indexed by the periodic task
            # ``refresh_due_documents``, never in a visitor's request; "open now" is decided
            # at the time of the query anyway.
            results = services.search(query)
        except (SearchUnavailable, DatabaseError):
            logger.exception("Search unavailable")
            unavailable = True
    labels = kind_labels()
    facets = []
    if results is not None:
        for name, counts in results.facets.items():
            param = FACET_PARAMS[name]
            selected = set(query.selected(name))
            facets.append(
                {
                    "name": name,
                    "param": param,
                    "legend": {
                        "kind": _("Type"),
                        "ambition": _("Ambition"),
                        "municipality": _("Place"),
                    }[name],
                    "values": [
                        {
                            "value": entry.value,
                            "label": labels.get(entry.value, entry.value)
                            if name == "kind"
                            else entry.value,
                            "count": entry.count,
                            "selected": entry.value in selected,
                            "id": f"facet-{param}-{index}",
                        }
                        for index, entry in enumerate(counts)
                    ],
                }
            )
    context = {
        "form": form,
        "query": query,
        "typed": typed,
        "results": results,
        "hits": [hit_context(hit, site, labels, query) for hit in results.hits]
        if results
        else [],
        "facets": facets,
        "notices": form.notices,
        "unavailable": unavailable,
        "initiative_title": initiative_title,
    }
    return TemplateResponse(
        request, "ctylab_search/search.html", context, status=503 if unavailable else 200
    )
