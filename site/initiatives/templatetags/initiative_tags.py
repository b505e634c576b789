from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from wagtail.models import Site

from blocks.place_picker import leaflet_installed

register = template.Library()


@register.simple_tag(takes_context=True)
def canonical_url(context, page):
    """The page's address on its most specific site: a custom domain wins over the platform."""
    request = context.get("request")
    best = None
    for root in Site.get_site_root_paths():
        if page.url_path.startswith(root.root_path) and (
            best is None or len(root.root_path) > len(best.root_path)
        ):
            best = root
    if best is None:
        return page.get_full_url(request)
    return best.root_url + page.url_path[len(best.root_path) - 1 :]


@register.simple_tag
def leaflet_assets():
    """Leaflet's CSS and script, when the npm package is installed (else the lists suffice)."""
    if not leaflet_installed():
        return ""
    return format_html(
        '<link rel="stylesheet" href="{}">'
        '<script src="{}" defer></script>'
        '<script src="{}" defer></script>',
        static("leaflet/leaflet.css"),
        static("leaflet/leaflet.js"),
        static("ctylab/map.js"),
    )
