#!/usr/bin/env python3
"""Seconds from STARTED (Unix time, taken by the caller before this process started) until the
SQLite queue at DB has no job pending or in flight, polled every 50 ms from this one process,
read-only. A poll costs about a millisecond of CPU; before, each poll was an `outcomed queue
stats` process and two python3 parses of its answer, about 0.2 s of CPU, beside the delivery
being measured. Exits 1 after TIMEOUT seconds (300), saying what was left.

    drain-seconds.py DB STARTED [TIMEOUT]
"""
import sqlite3
import sys
import time
import urllib.parse


def main(argv):
    path, started = argv[1], float(argv[2])
    timeout = float(argv[3]) if len(argv) > 3 else 300.0
    db = sqlite3.connect(f"file:{urllib.parse.quote(path)}?mode=ro", uri=True, isolation_level=None)
    db.execute("PRAGMA busy_timeout = 5000")
    left, problem = "unknown", None
    while time.time() - started < timeout:
        try:
            (left,) = db.execute("SELECT count(*) FROM jobs WHERE state IN ('pending', 'in_flight')").fetchone()
        except sqlite3.OperationalError as error:
            # A lock held past the busy timeout: poll again, and say so if it never clears.
            problem = error
        else:
            if left == 0:
                print(round(time.time() - started, 3))
                return 0
        time.sleep(0.05)
    print(f"{left} jobs still pending or in flight after {timeout:.0f} s" + (f" (last error: {problem})" if problem else ""), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
