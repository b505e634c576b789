"""Purge the pages that changed from the page cache and the cache in front of the site (Varnish).

Active when the page cache is on (``CTYLAB_PAGE_CACHE_SECONDS``) or ``WAGTAILFRONTENDCACHE``
names another cache (``FRONTEND_CACHE_URL``); Wagtail's ``PurgeBatch`` sends the URLs to every
backend (an HTTP ``PURGE`` per URL for Varnish, which removes every language variant; the page
cache deletes its copies in every language). Wagtail's own handlers purge only a published page's main URL; a page here
has one URL per Site whose root contains it (an initiative on its own domain is also under the
platform's home), and other pages show it, so:

- publishing or unpublishing a page purges every URL of the page and of its ancestors, which
  list their children (the platform home lists the initiatives); unpublishing also purges its
  descendants, which are not served beneath it (``ctylab.reachable``);
- a slug change or a move purges the old URLs of the page and all its descendants, and the
  ancestors on both sides;
- a Site whose hostname, port or root page changes, or that is deleted, purges the old URL of
  every page under its old root;
- a Site that is added, changed or deleted also purges the URLs its pages have on the other
  sites, and their listings: an initiative's pages on the platform name their own domain
  (canonical link, links between sites), so attaching a domain changes them too;
- what visitors see of a page changing without an edit (a vote opening, a tender's quotes
  opened, new readings, a card type switched off, a deadline passing, see
  ``blocks.signals.initiative_changed``) purges the page and its ancestors, once the change has
  committed.

A page whose look changes by itself at a known moment (a deadline, a vote's opening or
closing) also tells the caches to keep it no later than that moment (``s-maxage``, see
``InitiativePage.serve``), so a cached copy never outlives what a fresh render would show.
"""

from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from blocks.signals import initiative_changed


def enabled():
    """Whether any cache is there to purge: the page cache (on with a lifetime) or another."""
    backends = dict(getattr(settings, "WAGTAILFRONTENDCACHE", None) or {})
    if int(getattr(settings, "CTYLAB_PAGE_CACHE_SECONDS", 0) or 0) <= 0:
        backends = {name: conf for name, conf in backends.items() if conf["BACKEND"] != "ctylab.pagecache.PageCacheBackend"}
    return bool(backends)


def site_roots():
    """[(root URL such as ``https://zonnedak.example``, root url_path such as ``/ctylab/zonnedak/``)]."""
    return [(site.root_url, site.root_page.url_path) for site in Site.objects.select_related("root_page")]


def urls_of(url_paths, roots):
    """Every public URL of the pages at ``url_paths`` (Wagtail url_paths) on the given sites."""
    return {
        f"{root_url}/{url_path[len(root_path):]}"
        for url_path in url_paths
        for root_url, root_path in roots
        if url_path.startswith(root_path)
    }


def ancestor_paths(page):
    return list(Page.objects.ancestor_of(page).filter(depth__gt=1).values_list("url_path", flat=True))


def purge(urls):
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    if urls:
        batch = PurgeBatch()
        batch.add_urls(sorted(urls))
        batch.purge()


@receiver(page_published)
@receiver(page_unpublished)
def purge_page_and_listings(sender, instance, **kwargs):
    if enabled():
        purge(urls_of([instance.url_path, *ancestor_paths(instance)], site_roots()))


@receiver(initiative_changed)
def purge_changed_pages(sender, page_ids, **kwargs):
    if enabled():
        purge(urls_of(paths_with_ancestors(page_ids), site_roots()))


def paths_with_ancestors(page_ids):
    """The url_paths of the pages ``page_ids`` and of their ancestors (below the tree root)."""
    paths = list(Page.objects.filter(pk__in=page_ids).values_list("path", flat=True))
    steplen = Page.steplen
    prefixes = {path[:end] for path in paths for end in range(steplen * 2, len(path) + 1, steplen)}
    return list(Page.objects.filter(path__in=prefixes).values_list("url_path", flat=True))


@receiver(page_unpublished)
def purge_descendants(sender, instance, **kwargs):
    # Beneath a page that is not live nothing is served (ctylab.reachable): its descendants'
    # cached copies go too. Published again, they are served afresh (a 404 is never cached).
    if enabled():
        paths = Page.objects.descendant_of(instance).values_list("url_path", flat=True)
        purge(urls_of(paths, site_roots()))


@receiver(page_slug_changed)
def purge_old_slug(sender, instance, instance_before, **kwargs):
    if enabled():
        purge_moved(instance, instance_before.url_path, instance.url_path)


@receiver(post_page_move)
def purge_old_place(sender, instance, parent_page_before, url_path_before, url_path_after, **kwargs):
    if enabled():
        purge_moved(instance, url_path_before, url_path_after, extra=[parent_page_before])


def purge_moved(page, url_path_before, url_path_after, extra=()):
    """The old URLs of ``page`` and its descendants, and the listings on both sides."""
    descendants = Page.objects.descendant_of(page, inclusive=True).values_list("url_path", flat=True)
    old_paths = [url_path_before + path[len(url_path_after):] for path in descendants if path.startswith(url_path_after)]
    listings = [path for listed in (page, *extra) for path in ancestor_paths(listed)]
    listings += [listed.url_path for listed in extra]
    purge(urls_of([*old_paths, *listings], site_roots()))


@receiver(pre_save, sender=Site)
def remember_site_before(sender, instance, **kwargs):
    instance._purge_before = None
    if enabled() and instance.pk:
        old = Site.objects.filter(pk=instance.pk).select_related("root_page").first()
        if old and (old.hostname, old.port, old.root_page_id) != (instance.hostname, instance.port, instance.root_page_id):
            instance._purge_before = old


@receiver(post_save, sender=Site)
def purge_site_changed(sender, instance, created=False, **kwargs):
    old = getattr(instance, "_purge_before", None)
    if old is not None:
        purge_site(old)
    if (created or old is not None) and enabled():
        purge_shown_elsewhere(instance)


@receiver(post_delete, sender=Site)
def purge_site_deleted(sender, instance, **kwargs):
    if enabled():
        purge_site(instance)
        purge_shown_elsewhere(instance)


def purge_shown_elsewhere(site):
    """Every page under the site's root, and the root's ancestors, at every site's URL."""
    root = Page.objects.filter(pk=site.root_page_id).first()
    if root is None:
        return
    paths = list(Page.objects.descendant_of(root, inclusive=True).values_list("url_path", flat=True))
    purge(urls_of([*paths, *ancestor_paths(root)], site_roots()))


def purge_site(site):
    """Every page under the site's root, at the site's (old) root URL."""
    root = Page.objects.filter(pk=site.root_page_id).first()
    if root is None:
        return
    paths = Page.objects.descendant_of(root, inclusive=True).values_list("url_path", flat=True)
    purge(urls_of(paths, [(site.root_url, root.url_path)]))
