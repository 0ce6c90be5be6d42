#!/usr/bin/env python3
"""The verdict of `make bench` (scripts/bench): from the raw measurements of one run, the JSON
object of SPEC §9: every figure, its reference measured in the same run, their ratio, and
`budgets_missed`, the names of the ratios that do not hold.

    verdict.py NAME=JSON ...

Each argument is one measurement as JSON (a wrk summary, an `outcomed-bench` answer, or a
number); scripts/bench passes them all. Run with no argument, it checks itself on made-up
figures and exits non-zero if the verdict is wrong.
"""
import json
import statistics
import sys

# SPEC §9. Each budget: a name (a key of the result), and whether the result meets it.
BUDGETS = [
    ("intake_over_floor", lambda r: r["intake_over_floor"] >= 0.20),
    ("intake_p99_ms", lambda r: r["intake_p99_ms"] <= 50),
    ("pg_intake_over_intake", lambda r: r["pg_intake_over_intake"] >= 0.5),
    ("replay_over_ripgrep", lambda r: r["replay_over_ripgrep"] <= 1.0),
    ("delivery_over_mock", lambda r: r["delivery_over_mock"] >= 0.30),
    # A percentile that falls on an event never accepted or never delivered is -1.
    ("e2e_p50_ms", lambda r: 0 <= r["e2e_p50_ms"] <= 5),
    ("e2e_p99_ms", lambda r: 0 <= r["e2e_p99_ms"] <= 50),
    ("pg_e2e_p50_ms", lambda r: 0 <= r["pg_e2e_p50_ms"] <= 5),
    ("pg_e2e_p99_ms", lambda r: 0 <= r["pg_e2e_p99_ms"] <= 50),
    ("rss_mb_idle_minus_floor", lambda r: r["rss_mb_idle_minus_floor"] <= 8),
    ("rss_mb_load", lambda r: r["rss_mb_load"] <= 64),
    ("rss_mb_1m_pending_over_load", lambda r: r["rss_mb_1m_pending_over_load"] <= 1.1),
]
# Not budgets but the validity of one: an open-loop generator below 95% of the rate it offered
# measured a lighter load than the SPEC's, and every event offered must reach the mock.
VALIDITY = [
    ("e2e_generator", lambda r: r["e2e_rate_achieved"] >= 0.95 * r["e2e_rate"]),
    ("pg_e2e_generator", lambda r: r["pg_e2e_rate_achieved"] >= 0.95 * r["e2e_rate"]),
    ("e2e_delivered", lambda r: r["e2e_delivered"] == r["e2e_offered"]),
    ("pg_e2e_delivered", lambda r: r["pg_e2e_delivered"] == r["e2e_offered"]),
]


def median_pair(figures, references):
    """The index of the median run, by the ratio of each figure to the reference measured
    right before it: a pair shares the machine's minute, two medians taken apart need not."""
    if len(figures) != len(references) or not figures:
        raise SystemExit("verdict: a figure and its reference need as many runs, and at least one")
    ratios = [figure / reference for figure, reference in zip(figures, references)]
    return sorted(range(len(ratios)), key=lambda i: ratios[i])[len(ratios) // 2]


def verdict(m):
    """The result object from the measurements `m` (names as scripts/bench passes them).
    `floor` and `intake`, `mock` and `delivery_seconds`, are lists of runs, each figure run
    right after its reference; a ratio is judged on its median pair, a p99 on its worst run,
    and `load_rss` lists each intake run's peak."""
    floors, intakes, mocks = m["floor"], m["intake"], m["mock"]
    pick = judged_intake(floors, intakes)
    intake, floor, pg_intake = intakes[pick], floors[pick], m["pg_intake"]
    deliveries = [50000 / seconds for seconds in m["delivery_seconds"]]
    pick = median_pair(deliveries, [run["rps"] for run in mocks])
    delivery, mock = deliveries[pick], mocks[pick]
    e2e, pg_e2e = m["e2e"], m["pg_e2e"]
    r = {
        # The machine: how fast its disk commits, so a slow disk shows apart from a slow program.
        "sqlite_commits_per_s": m["sqlite"]["sqlite_commits_per_s"],
        # Durable intake; the reference is the floor (the same stack answering a fixed 202).
        "intake_events_per_s": intake["rps"],
        "intake_p99_ms": max(run["p99_ms"] for run in intakes),
        "floor_events_per_s": floor["rps"],
        "floor_p99_ms": floor["p99_ms"],
        "intake_over_floor": intake["rps"] / floor["rps"],
        "floor_runs": [run["rps"] for run in floors],
        "intake_runs": [run["rps"] for run in intakes],
        "intake_p99_ms_runs": [run["p99_ms"] for run in intakes],
        # The shared store (SPEC section 10), the same load; the reference is intake above.
        "pg_intake_events_per_s": pg_intake["rps"],
        "pg_intake_p99_ms": pg_intake["p99_ms"],
        "pg_intake_over_intake": pg_intake["rps"] / intake["rps"],
        # The back-test (median of three runs each, interleaved); the reference is ripgrep.
        "replay_seconds": m["replay_seconds"],
        "ripgrep_seconds": m["ripgrep_seconds"],
        "replay_over_ripgrep": m["replay_seconds"] / m["ripgrep_seconds"],
        # Delivery of a 50,000-job backlog; the reference is the mock's rate for the same PATCHes.
        "delivery_patches_per_s": delivery,
        "mock_patches_per_s": mock["rps"],
        "delivery_over_mock": delivery / mock["rps"],
        "mock_runs": [run["rps"] for run in mocks],
        "delivery_runs": deliveries,
        # Decision to PATCH, open loop at 20% of intake_events_per_s, on both stores.
        "e2e_rate": e2e["e2e_rate"],
        "e2e_rate_achieved": e2e["e2e_rate_achieved"],
        # How late the generator sent its POSTs (p99): a lagging generator shows here first.
        "e2e_send_lag_p99_ms": e2e["e2e_send_lag_p99_ms"],
        "e2e_p50_ms": e2e["e2e_p50_ms"],
        "e2e_p99_ms": e2e["e2e_p99_ms"],
        "e2e_offered": e2e["e2e_offered"],
        "e2e_delivered": e2e["e2e_delivered"],
        "pg_e2e_rate_achieved": pg_e2e["e2e_rate_achieved"],
        "pg_e2e_send_lag_p99_ms": pg_e2e["e2e_send_lag_p99_ms"],
        "pg_e2e_p50_ms": pg_e2e["e2e_p50_ms"],
        "pg_e2e_p99_ms": pg_e2e["e2e_p99_ms"],
        "pg_e2e_delivered": pg_e2e["e2e_delivered"],
        # Not budgets: an independent fdatasync probe beside each end-to-end run (every 20 ms),
        # its worst latency and how many took over 50 ms. A disk stall shows in both.
        "e2e_fsync_max_ms": m["e2e_disk"]["fsync_max_ms"],
        "e2e_fsync_over_50_ms": m["e2e_disk"]["fsync_over_50_ms"],
        "pg_e2e_fsync_max_ms": m["pg_e2e_disk"]["fsync_max_ms"],
        "pg_e2e_fsync_over_50_ms": m["pg_e2e_disk"]["fsync_over_50_ms"],
        # Memory; the reference is the floor's idle RSS (RSS figures are read to 0.1 MB).
        "rss_mb_idle": m["idle_rss"],
        "floor_rss_mb_idle": m["floor_rss"],
        "floor_libraries_rss_mb": m["floor_libraries"],
        "rss_mb_idle_minus_floor": round(m["idle_rss"] - m["floor_rss"], 1),
        # The highest peak against its budget; the lowest as the reference of "flat".
        "rss_mb_load": max(m["load_rss"]),
        "rss_mb_1m_pending": m["million_rss"],
        "rss_mb_1m_pending_over_load": m["million_rss"] / min(m["load_rss"]),
        "million_pending_left": m["million"]["pending"],
        # Not a budget: the rules alone on one core, in-process.
        "rules_events_per_s": m["rules"]["rules_events_per_s"],
    }
    if pg_e2e["e2e_rate"] != e2e["e2e_rate"] or pg_e2e["e2e_offered"] != e2e["e2e_offered"]:
        raise SystemExit("verdict: the two stores were offered different end-to-end loads")
    missed = [name for name, holds in BUDGETS + VALIDITY if not holds(r)]
    # Judged on the exact figures above; rounded only to be read.
    for key, value in r.items():
        if key.endswith("_ms_runs"):
            r[key] = [round(run, 2) for run in value]
        elif key.endswith("_runs"):
            r[key] = [round(run) for run in value]
        elif key.endswith("_per_s"):
            r[key] = round(value)
        elif key.endswith("_minus_floor"):
            r[key] = round(value, 1)
        elif "_over_" in key:
            r[key] = round(value, 3)
        elif key.endswith("_ms") or key.endswith("_seconds"):
            r[key] = round(value, 2)
    r["budgets_missed"] = missed
    return r


def judged_intake(floors, intakes):
    """The index of the intake run judged (and the floor run before it): the median pair."""
    return median_pair([run["rps"] for run in intakes], [run["rps"] for run in floors])


def e2e_rate(floors, intakes):
    """The end-to-end rate, events/s: 20% of the judged intake."""
    return max(1, round(0.2 * intakes[judged_intake(floors, intakes)]["rps"]))


def self_check():
    """Made-up figures where every budget holds, then each broken in turn."""
    wrk = lambda rps, p99=2.0: {"rps": rps, "p99_ms": p99}
    # Three runs of a figure or a reference, in the order they ran.
    runs = lambda *rates: [wrk(rate) for rate in rates]
    e2e = lambda achieved=200.0, p50=1.5, p99=6.0, delivered=2000: {
        "e2e_rate": 200, "e2e_rate_achieved": achieved, "e2e_p50_ms": p50, "e2e_p99_ms": p99,
        "e2e_offered": 2000, "e2e_delivered": delivered, "e2e_send_lag_p99_ms": 0.5}
    drains = lambda *rates: [50000 / rate for rate in rates]
    # Every pair at its budget or just above it, the pairs at different speeds.
    good = {
        "sqlite": {"sqlite_commits_per_s": 5000}, "rules": {"rules_events_per_s": 20000},
        "floor": runs(40000, 20000, 10000), "intake": runs(8000, 4000, 2000), "pg_intake": wrk(2000),
        "mock": runs(20000, 10000, 5000), "delivery_seconds": drains(6002, 3001, 1501),
        "e2e": e2e(), "pg_e2e": e2e(), "million": {"pending": 999000},
        "e2e_disk": {"fsync_max_ms": 153.0, "fsync_over_50_ms": 1}, "pg_e2e_disk": {"fsync_max_ms": 4.0, "fsync_over_50_ms": 0},
        "floor_rss": 30.0, "floor_libraries": 10.0, "idle_rss": 38.0, "load_rss": [50.0, 49.0, 48.0],
        "million_rss": 52.8, "replay_seconds": 1.0, "ripgrep_seconds": 1.0,
    }
    failures = []
    def expect(change, missed):
        got = verdict({**good, **change})["budgets_missed"]
        if got != missed:
            failures.append(f"{change}: expected {missed}, got {got}")
    expect({}, [])
    expect({"intake": runs(7998, 3999, 1999.5)}, ["intake_over_floor"])
    # The median pair is judged: not the best run, not the first, not the floor's slowest.
    expect({"floor": runs(20000, 20000, 20000), "intake": runs(9000, 3999, 3000)}, ["intake_over_floor"])
    expect({"floor": runs(19000, 20001, 99999)}, ["intake_over_floor"])
    # Nor the median intake over the median floor (9,100 / 45,000 = 0.202): two pairs of three miss.
    expect({"floor": runs(40000, 50000, 45000), "intake": runs(7900, 9900, 9100), "pg_intake": wrk(5000)}, ["intake_over_floor"])
    expect({"mock": runs(40000, 50000, 45000), "delivery_seconds": drains(11900, 14900, 13700)}, ["delivery_over_mock"])
    expect({"mock": runs(10000, 10000, 10000), "delivery_seconds": drains(9000, 2999, 2999)}, ["delivery_over_mock"])
    # A p99 is judged on its worst run.
    expect({"intake": [wrk(8000, 10.0), wrk(4000, 12.0), wrk(2000, 50.01)], "pg_intake": wrk(1999)}, ["intake_p99_ms", "pg_intake_over_intake"])
    expect({"replay_seconds": 1.01}, ["replay_over_ripgrep"])
    expect({"e2e": e2e(p50=5.01, p99=-1)}, ["e2e_p50_ms", "e2e_p99_ms"])
    expect({"pg_e2e": e2e(achieved=189.9)}, ["pg_e2e_generator"])
    expect({"e2e": e2e(delivered=1999)}, ["e2e_delivered"])
    # The highest peak under load against 64 MB, the lowest as the reference of "flat".
    expect({"idle_rss": 38.1, "load_rss": [64.1, 50.0, 48.0], "million_rss": 52.81}, ["rss_mb_idle_minus_floor", "rss_mb_load", "rss_mb_1m_pending_over_load"])
    if e2e_rate(good["floor"], good["intake"]) != 800:
        failures.append("the end-to-end rate is not 20% of the median pair's intake")
    for failure in failures:
        print("verdict self-check: " + failure, file=sys.stderr)
    return 1 if failures else 0


def main(argv):
    if len(argv) == 1:
        return self_check()
    if argv[1] == "e2e-rate":
        # verdict.py e2e-rate FLOOR_RUNS INTAKE_RUNS: what scripts/bench offers end to end.
        print(e2e_rate(json.loads(argv[2]), json.loads(argv[3])))
        return 0
    measurements = {}
    for argument in argv[1:]:
        name, _, value = argument.partition("=")
        measurements[name] = json.loads(value)
    if measurements["e2e"]["e2e_rate"] != e2e_rate(measurements["floor"], measurements["intake"]):
        raise SystemExit("verdict: the end-to-end rate is not 20% of the judged intake")
    print(json.dumps(verdict(measurements)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
