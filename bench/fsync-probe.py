#!/usr/bin/env python3
"""An independent disk probe, run beside each end-to-end measurement of scripts/bench: every
20 ms for SECONDS, append 4 KB to FILE (in the bench's directory, on the stores' disk) and
fdatasync it; then print the latencies as JSON and remove FILE. When the disk itself stalls,
every fsync on it waits, the stores' commits and this probe's alike, so a decision-to-PATCH p99
that misses in the same run as a long probe is the disk's, not the program's. Not a budget.

    fsync-probe.py FILE SECONDS
"""
import json
import os
import statistics
import sys
import time


def main(argv):
    path, seconds = argv[1], float(argv[2])
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    block = b"x" * 4096
    latencies = []
    end = time.monotonic() + seconds
    try:
        while time.monotonic() < end:
            started = time.monotonic()
            os.write(fd, block)
            os.fdatasync(fd)
            latencies.append((time.monotonic() - started) * 1000)
            time.sleep(0.02)
    finally:
        os.close(fd)
        os.unlink(path)
    print(json.dumps({
        "fsync_probes": len(latencies),
        "fsync_p50_ms": round(statistics.median(latencies), 2),
        "fsync_max_ms": round(max(latencies), 2),
        "fsync_over_50_ms": sum(1 for latency in latencies if latency > 50),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
