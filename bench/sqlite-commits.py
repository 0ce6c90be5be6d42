#!/usr/bin/env python3
"""The machine's SQLite commit rate, printed beside `make bench`'s figures so a reader can tell
a slow disk from a slow program: single-row INSERT transactions (an 860-byte body, as intake's
events) into DIR/commits.sqlite in WAL mode with synchronous=FULL, as outcomed's store, for
SECONDS. Prints {"sqlite_commits_per_s": N} and removes the file.

    sqlite-commits.py DIR [SECONDS]
"""
import json
import os
import sqlite3
import sys
import time


def main(argv):
    path = os.path.join(argv[1], "commits.sqlite")
    seconds = float(argv[2]) if len(argv) > 2 else 3.0
    db = sqlite3.connect(path, isolation_level=None)
    try:
        mode = db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if mode != "wal":
            raise SystemExit(f"sqlite-commits: journal_mode is {mode}, not wal")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("CREATE TABLE jobs (id INTEGER PRIMARY KEY, body BLOB NOT NULL)")
        body = b"x" * 860
        commits = 0
        start = time.monotonic()
        deadline = start + seconds
        while True:
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO jobs (body) VALUES (?)", (body,))
            db.execute("COMMIT")
            commits += 1
            now = time.monotonic()
            if now >= deadline:
                break
        print(json.dumps({"sqlite_commits_per_s": round(commits / (now - start))}))
    finally:
        db.close()
        for suffix in ("", "-wal", "-shm"):
            try:
                os.remove(path + suffix)
            except FileNotFoundError:
                pass


if __name__ == "__main__":
    main(sys.argv)
