-- wrk script for SPEC §9 "durable intake": POSTs an 860-byte CommVoice envelope with a unique
-- call id per request, counts every answer that is not 202, and prints a JSON summary.
dofile("bench/wrk-summary.lua")
local template = '{"data":{"id":"%s","team_id":"team_42","contact_id":"contact_7781","to_number":15551234567,' ..
  '"events_count":"14","created_at":"2026-11-24T15:02:11Z","agent_id":"agent_9","voice_campaign_id":"vc_2026_q4",' ..
  '"is_answer_machine":false,"is_answered":true,"is_lead":false,"is_sale":false,"status":"completed",' ..
  '"chat":"AI: Hi, this is Ava from Brightside Solar. Is this Jordan?\\nUser: Yes, speaking.\\nAI: We are offering ' ..
  'free rooftop assessments this month. Would you like one?\\nUser: Hmm, I am not interested right now, thanks.\\n' ..
  'AI: Understood. Have a great day!","call_outcome":"","call_source":"voice_campaign","country_id":1,' ..
  '"timezone":"America/New_York","vapi_ended_reason":"customer-ended-call","call_outcome_logs":[],"pad":"%s"}}'
local size = 860

function init(args)
  counter = 0
  bad = 0
  statuses = {}
  local sample = string.format(template, string.format("b%02d-%012d", 1, 0), "")
  padding = string.rep("x", size - #sample)
  headers = { ["Content-Type"] = "application/json" }
end

function request()
  counter = counter + 1
  local call = string.format("b%02d-%012d", id, counter)
  return wrk.format("POST", "/v1/events", headers, string.format(template, call, padding))
end

function response(status, headers, body)
  if status ~= 202 then
    bad = bad + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  print_summary(summary, latency, "non_202", true, string.format(', "body_bytes": %d', size))
end
