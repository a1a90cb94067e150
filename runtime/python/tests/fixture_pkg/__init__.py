"""Package fixture: handlers addressed as fixture_pkg.sub.func need the longest-prefix import."""
