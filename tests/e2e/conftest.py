"""Browser tests: the live server listens on 127.0.0.1, where Chromium maps *.localhost."""

import os


def pytest_configure(config):
    # pytest-django's live_server binds to "localhost" unless told otherwise; Chromium is
    # started with --host-resolver-rules=MAP *.localhost 127.0.0.1, so bind exactly there.
    # An explicit --liveserver or DJANGO_LIVE_TEST_SERVER_ADDRESS still wins.
    if not config.getoption("liveserver", default=None) and not os.environ.get(
        "DJANGO_LIVE_TEST_SERVER_ADDRESS"
    ):
        config.option.liveserver = "127.0.0.1"
