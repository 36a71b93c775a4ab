"""Tests: same settings, tasks run inline, fast hashing, media and the figures cache in temp folders."""

import tempfile

from .settings import *  # noqa: F403
from .settings import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="xianfeng-test-media-")
if "filebased" in CACHES["figures"]["BACKEND"]:  # noqa: F405
    CACHES["figures"]["LOCATION"] = tempfile.mkdtemp(prefix="xianfeng-test-figures-")  # noqa: F405
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["NAME"] = ":memory:"
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
    DATABASES["default"]["OPTIONS"] = {}
DEBUG = False
PII_DEV_KEYS = True  # keys derived from SECRET_KEY unless XIANFENG_PII_KEYS is set
