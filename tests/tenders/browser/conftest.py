"""Browser tests: the live server listens on 127.0.0.1, where Chromium maps *.localhost."""

import os


def pytest_configure(config):
    if not config.getoption("liveserver", default=None) and not os.environ.get(
        "DJANGO_LIVE_TEST_SERVER_ADDRESS"
    ):
        config.option.liveserver = "127.0.0.1"
