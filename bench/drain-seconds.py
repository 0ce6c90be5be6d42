#!/usr/bin/env python3
"""Seconds from STARTED (Unix time, taken by the caller before this process started) until the
SQLite queue at DB has no job pending or in flight, polled every 50 ms from this one process,
read-only: a poll costs about a millisecond of CPU, where `outcomed queue stats` in a loop cost
about 20 ms a poll (a process each) beside the delivery being measured. Exits 1 after TIMEOUT
seconds (300), printing what was left.

    drain-seconds.py DB STARTED [TIMEOUT]
"""
import sqlite3
import sys
import time


def main(argv):
    path, started = argv[1], float(argv[2])
    timeout = float(argv[3]) if len(argv) > 3 else 300.0
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    db.execute("PRAGMA busy_timeout = 5000")
    left = None
    while time.time() - started < timeout:
        (left,) = db.execute("SELECT count(*) FROM jobs WHERE state IN ('pending', 'in_flight')").fetchone()
        if left == 0:
            print(round(time.time() - started, 3))
            return 0
        time.sleep(0.05)
    print(f"{left} jobs still pending or in flight after {timeout:.0f} s", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
