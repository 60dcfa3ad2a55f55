"""The on-demand load test (`make loadtest`): never part of the test suite.

``run`` drives it (fresh PostgreSQL database, seed, gunicorn and the task worker on loopback, the
virtual users, the figures); ``seed`` builds the township the users work on; ``scenario`` holds what
each role does; ``http`` is the small standard-library client; ``stats`` the figures; ``probe`` counts
the queries of each page afterwards.
"""
