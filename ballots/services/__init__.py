"""Writes for polling and counting, split by concept: ``stations`` (stations, mobile boxes, counting
options), ``rounds`` (opening and voiding rounds), ``tallies`` (tally entry, double entry, write-in
rulings) and ``announcement`` (announcing results, void decisions).

Each service takes the actor as ``by``, runs in one transaction, writes an audit entry and raises
``ValidationError(message, code=…)`` for a business failure (STYLE.md §8–§10).
"""
