import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the browser tests make
# between page actions are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _chinese_by_default(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
    # Background jobs run inside the request (the database queue has a test of its own).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Tests sign administrators in with force_login; the second factor's own tests (accounts/tests/
    # test_second_factor.py) and the browser journeys of administrators turn it on.
    settings.FUPIN_ADMIN_SECOND_FACTOR = False
    from django.core.cache import cache

    cache.clear()  # local-memory caches outlive their settings


@pytest.fixture(autouse=True)
def _fresh_code_lists():
    """Code lists are cached per process; a test's codes must not outlive its rolled-back transaction."""
    from fupin.codes.catalogue import forget

    forget()
    yield
    forget()


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    """Uploaded evidence goes to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _on_commit_outside_the_codes_own_transactions(monkeypatch):
    """A TestCase wraps each test in a transaction that never commits, so `transaction.on_commit` would
    never run what a request schedules outside any transaction of its own (in a deployment it runs at
    once). Callbacks registered inside the code's own `atomic` still wait for it, as they should; a test
    that needs them uses `captureOnCommitCallbacks`."""
    from django.db import transaction

    on_commit = transaction.on_commit

    def at_once_outside_the_codes_transactions(func, using=None, robust=False):
        blocks = transaction.get_connection(using).atomic_blocks
        if blocks and all(getattr(block, "_from_testcase", False) for block in blocks):
            func()
            return None
        return on_commit(func, using, robust)

    monkeypatch.setattr(transaction, "on_commit", at_once_outside_the_codes_transactions)
