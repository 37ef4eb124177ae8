-- wrk script: sends the session cookie (and CSRF token for POSTs) and prints one JSON line at the end.
-- POSTs carry an idempotency key unique across threads and runs: the run's token (LOADTEST_RUN, from
-- loadtest.py), the thread's number and a per-thread counter, so every POST asks for a new session
-- (a repeated key would be answered with the session logged before, creating nothing).
local cookie = os.getenv("LOADTEST_COOKIE") or ""
local csrf = os.getenv("LOADTEST_CSRF") or ""
local method = os.getenv("LOADTEST_METHOD") or "GET"
local body_template = os.getenv("LOADTEST_BODY") or ""
local run = tonumber(string.sub(os.getenv("LOADTEST_RUN") or "0", 1, 8), 16) or 0

local thread_count = 0

-- Runs in the main Lua state, once per thread: numbers the threads (sets the global thread_number in
-- each thread's own Lua state).
setup = function(thread)
  thread_count = thread_count + 1
  thread:set("thread_number", thread_count)
end

local counter = 0 -- per thread: each thread runs the script in its own Lua state

init = function(args)
  math.randomseed(run + (thread_number or 0) * 7919 + os.time())
end

request = function()
  local headers = { ["Cookie"] = cookie }
  local body = nil
  if method == "POST" then
    counter = counter + 1
    headers["X-CSRFToken"] = csrf
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    headers["Referer"] = wrk.scheme .. "://" .. wrk.host .. ":" .. wrk.port .. "/"
    -- run (32 bits) - thread (16 bits) - version 4 + random - variant + random - counter (48 bits)
    local key = string.format("%08x-%04x-4%03x-a%03x-%012x", run, (thread_number or 0) % 0x10000,
      math.random(0, 0xfff), math.random(0, 0xfff), counter)
    -- the session's day: one of the last 28 (never today, so never a day still being logged live)
    local day = os.date("%d/%m/%Y", os.time() - 86400 * math.random(1, 28))
    body = body_template:gsub("{uuid}", key):gsub("{date}", day)
  end
  return wrk.format(method, nil, headers, body)
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    'LOADTEST_RESULT {"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.1f, "p95_ms": %.1f, "p99_ms": %.1f, "socket_errors": %d, "non_2xx_3xx": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    errors, summary.errors.status))
end
