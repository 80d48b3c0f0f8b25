"""Settings for the tests: a throwaway instance folder; PostgreSQL when ASSESS_TEST_DATABASE_URL is set."""

from __future__ import annotations

import os

os.environ.setdefault("ASSESS_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
if os.environ.get("ASSESS_TEST_DATABASE_URL"):
    os.environ["ASSESS_DATABASE_URL"] = os.environ["ASSESS_TEST_DATABASE_URL"]
else:
    os.environ.pop("ASSESS_DATABASE_URL", None)
os.environ.pop("ASSESS_INSTANCE", None)   # each test session gets its own temporary instance

from web.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # tests only: fast logins
