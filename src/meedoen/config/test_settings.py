"""Settings for the test suite: the real settings in development mode, with a fast password hasher.

DATABASE_URL still chooses the database, so the same suite runs on SQLite and on PostgreSQL.
"""

import os

os.environ.setdefault("MEEDOEN_DEBUG", "1")
# Many tests search by BSN as the same user within a minute (schemathesis, the authorization
# matrix); the throttle's own tests set a low rate themselves (api/tests/test_throttling.py).
os.environ.setdefault("MEEDOEN_API_BSN_SEARCH_RATE", "100000/minute")

from meedoen.config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # The stock backend with a cheaper flush between transactional tests (see that module).
    DATABASES["default"]["ENGINE"] = "meedoen.core.testing_postgresql"  # noqa: F405
