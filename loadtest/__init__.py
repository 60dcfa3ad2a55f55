"""The on-demand load test (`make loadtest`): never part of the test suite.

``run`` drives it (fresh PostgreSQL database, seed, gunicorn and the task worker on loopback, the
virtual users, the figures); ``seed`` builds the township the users work on; ``scenario`` holds what
each role does; ``http`` is the small standard-library client; ``stats`` the figures; ``probe`` counts
the queries of each page afterwards.

``multinode`` is the multi-node rehearsal (`make multinode`): two nodes and two workers over one
PostgreSQL, Redis and S3 endpoint, node B killed mid-run; ``balancer`` the users' client-side load
balancer; ``multinode_check`` what is checked afterwards.
"""
