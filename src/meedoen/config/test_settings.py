"""Settings for the test suite: the real settings in development mode, with a fast password hasher.

DATABASE_URL still chooses the database, so the same suite runs on SQLite and on PostgreSQL.
"""

import os

os.environ.setdefault("MEEDOEN_DEBUG", "1")

from meedoen.config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
