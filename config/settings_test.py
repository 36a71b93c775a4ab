"""Tests: same settings, tasks run inline, fast hashing, media in a temp folder."""

import tempfile

from .settings import *  # noqa: F403
from .settings import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="xianfeng-test-media-")
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["NAME"] = ":memory:"
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
    DATABASES["default"]["OPTIONS"] = {}
DEBUG = False
PII_DEV_KEYS = True  # keys derived from SECRET_KEY unless XIANFENG_PII_KEYS is set
