"""A small stand-in for an application: a client for a remote service, with a leak in it."""

import functools


class RemoteService:
    # The bug: every connection's receive buffer is kept here, "for debugging", and never dropped.
    _debug_buffers = []

    def __init__(self, host):
        self.host = host

    def connect(self):
        buffer = bytearray(b"\0" * 48_000_000)
        self._debug_buffers.append(buffer)
        return True

    def parse(self, payload):
        rows = [line.split(",") for line in payload.splitlines()]
        return len(rows)


@functools.lru_cache(maxsize=None)
def country_table():
    """Loaded on first use, then shared: a one-time cost, not a leak."""
    return {code: ("name-%d" % code) * 2_000 for code in range(1_000)}
