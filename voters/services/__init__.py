"""Writes for voter registration, split by concept: ``imports`` (Excel import), ``register``
(editing, publication, amendments), ``appeals`` and ``proxies``."""
