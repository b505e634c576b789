# Varnish in front of Ctylab's gunicorn (README "Production"): anonymous visitors' pages are
# cached, signed-in visitors and everything but GET/HEAD go straight through, and publishing in
# Wagtail purges the pages that changed (WAGTAILFRONTENDCACHE, set by FRONTEND_CACHE_URL).
# Objects live for Varnish's default TTL (`varnishd -t`, 120 s) unless purged first, or for the
# response's `s-maxage` when it gives one: a page whose vote opens in ten seconds says ten.
# What changes without an editor (quotes opened, a decision anchored, new readings) is purged by
# the application too (blocks.signals.initiative_changed).
vcl 4.1;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
}

# A response that sets a cookie (a form's CSRF token, a sign-in) or says private is passed on
# without being kept (Varnish's built-in vcl_backend_response); static files and media are kept
# as long as their Cache-Control says.

# Who may purge: the application servers.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (!client.ip ~ purgers) {
            return (synth(405, "Not allowed"));
        }
        # Removes every variant (language) of the URL on that host.
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Signed-in visitors (session), a message waiting after a form (messages), the admins and
    # the account pages (forms) are never served from the cache.
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=" || req.url ~ "^/(admin|django-admin|accounts)/") {
        return (pass);
    }
    # Only the language changes an anonymous page, and its responses say `Vary: Accept-Language`
    # (never `Cookie`): fold the language cookie, which Django prefers, into Accept-Language,
    # reduce that to the language Django would pick, and drop every cookie.
    if (req.http.Cookie ~ "(^|;\s*)django_language=") {
        set req.http.Accept-Language = regsub(req.http.Cookie, "^(.*;\s*)?django_language=([^;]*).*$", "\2");
    }
    unset req.http.Cookie;
    if (req.http.Accept-Language ~ "^\s*nl") {
        set req.http.Accept-Language = "nl";
    } else {
        set req.http.Accept-Language = "en";
    }
    return (hash);
}

sub vcl_deliver {
    # For operators and tests: whether this response came from the cache.
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
