-- What the bench's wrk scripts share: each thread counts the answers it did not expect in
-- `bad`, and the summary sums them under `bad_key` and prints one line, "BENCH {json}", that
-- scripts/bench reads. Loaded with dofile from the repository's root, where scripts/bench runs.
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

-- Prints the summary; `status_errors` also counts wrk's own tally of 4xx/5xx answers as socket
-- errors, and `extra` is appended to the JSON object as given (e.g. ', "body_bytes": 860').
function print_summary(summary, latency, bad_key, status_errors, extra)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("bad")
  end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  if status_errors then
    errors = errors + summary.errors.status
  end
  io.write(string.format('BENCH {"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.3f, "p99_ms": %.3f, "%s": %d, "socket_errors": %d%s}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, bad_key, bad, errors, extra or ""))
end
