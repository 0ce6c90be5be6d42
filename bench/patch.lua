-- wrk script for SPEC §9 "delivery", the reference: the mock's own rate for the PATCHes the
-- daemon sends (DeliveryWorker.attempt): PATCH {base}/webhooks/calls/{call id}/change-outcome
-- with the bearer token and {"call_outcome":"..."}, a unique call id per request. Counts every
-- answer that is not 2xx and prints a JSON summary.
--   wrk ... -s bench/patch.lua http://127.0.0.1:PORT -- TOKEN [BASE_PATH]
dofile("bench/wrk-summary.lua")
local outcomes = { "interested", "not_interested", "callback", "voicemail" }

function init(args)
  counter = 0
  bad = 0
  local token = args[1] or error("patch.lua: the bearer token is the first argument after --")
  base = args[2] or "/api/v1"
  headers = {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/json",
    ["User-Agent"] = "outcomed-bench",
  }
end

function request()
  counter = counter + 1
  local call = string.format("p%02d-%012d", id, counter)
  local body = string.format('{"call_outcome":"%s"}', outcomes[counter % #outcomes + 1])
  return wrk.format("PATCH", base .. "/webhooks/calls/" .. call .. "/change-outcome", headers, body)
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  print_summary(summary, latency, "non_2xx", false, nil)
end
