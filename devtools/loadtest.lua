-- wrk script: sends the session cookie (and CSRF token for POSTs) and prints one JSON line at the end.
local cookie = os.getenv("LOADTEST_COOKIE") or ""
local csrf = os.getenv("LOADTEST_CSRF") or ""
local method = os.getenv("LOADTEST_METHOD") or "GET"
local body_template = os.getenv("LOADTEST_BODY") or ""
local counter = 0

request = function()
  local headers = { ["Cookie"] = cookie }
  local body = nil
  if method == "POST" then
    counter = counter + 1
    headers["X-CSRFToken"] = csrf
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    headers["Referer"] = wrk.scheme .. "://" .. wrk.host .. ":" .. wrk.port .. "/"
    -- {uuid} makes each POST a new entry (idempotency keys must differ between requests).
    local key = string.format("%08x-%04x-4%03x-a%03x-%012x", math.random(0, 0xffffffff), math.random(0, 0xffff),
      math.random(0, 0xfff), math.random(0, 0xfff), math.random(0, 0xffffffffffff))
    body = body_template:gsub("{uuid}", key)
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
