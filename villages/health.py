"""What a load balancer asks each node (``/healthz``): can it reach the database, the cache and the
media storage it shares with the other nodes.

Each probe answers True or False and logs why it failed; the page says only ``ok`` or ``failing``
per part (no versions, paths, host names or error texts reach an unauthenticated caller).
"""

from __future__ import annotations

import logging
import secrets

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

logger = logging.getLogger(__name__)

PROBE_FOLDER = "healthz"


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    # A probe must answer "failing", never raise: whatever the driver raises (OperationalError, a
    # refused connection, a timeout) is the answer.
    except Exception:
        logger.warning("Health check: the database is not reachable", exc_info=True)
        return False


def cache_ok() -> bool:
    key, value = f"healthz.{secrets.token_hex(8)}", secrets.token_hex(8)
    try:
        cache.set(key, value, 10)
        found = cache.get(key)
        cache.delete(key)
    except Exception:  # redis' ConnectionError, TimeoutError…: see database_ok
        logger.warning("Health check: the cache is not reachable", exc_info=True)
        return False
    return found == value


def storage_ok() -> bool:
    """Write, read back and remove a small file: a bucket that is missing, read-only or refuses the
    keys fails here (asking whether a file exists would not tell a missing bucket from a missing file)."""
    content = secrets.token_bytes(16)
    name = None
    try:
        name = default_storage.save(f"{PROBE_FOLDER}/{secrets.token_hex(8)}", ContentFile(content))
        with default_storage.open(name, "rb") as stored:
            return stored.read() == content
    except Exception:  # botocore's ClientError, EndpointConnectionError, OSError…: see database_ok
        logger.warning("Health check: the media storage is not usable", exc_info=True)
        return False
    finally:
        if name is not None:
            try:
                default_storage.delete(name)
            except Exception:
                logger.warning("Health check: the probe file %s was not removed", name, exc_info=True)


def report() -> dict[str, bool]:
    return {"database": database_ok(), "cache": cache_ok(), "storage": storage_ok()}
