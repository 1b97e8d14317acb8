-- Shared by the wrk scripts of `make bench`: JSON text, a monotonic clock, counters kept per
-- thread and one machine-readable result line printed by done().
--
-- Each script counts in response(): `accepted` (the answer the workload expects: HTTP 200 and
-- no "errors" in the GraphQL body, or the baseline's 201) and `rejected` (anything else, with
-- the first such answer kept in `rejected_sample`). done() sums them over the threads and
-- prints one line: `BENCH_JSON {...}` with rps, latency percentiles and the counters.

local ffi = require("ffi")

ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock_id, bench_timespec *tp);
]])

local M = {}

local CLOCK_MONOTONIC = 1
local ts = ffi.new("bench_timespec")

--- Seconds on a monotonic clock (sub-millisecond resolution).
function M.now()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
end

local escapes = { ['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t" }

--- A JSON string literal. Text is UTF-8 already; only quotes, backslashes and control
--- characters need escaping.
function M.str(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    return escapes[c] or string.format("\\u%04x", c:byte())
  end) .. '"'
end

--- A flat JSON object of numbers, strings, booleans (keys sorted, nil values left out).
function M.object(t)
  local keys = {}
  for k in pairs(t) do
    keys[#keys + 1] = k
  end
  table.sort(keys)
  local parts = {}
  for _, k in ipairs(keys) do
    local v = t[k]
    local text
    if type(v) == "number" then
      text = (v ~= v or v == math.huge or v == -math.huge) and "null" or string.format("%.17g", v)
    elseif type(v) == "boolean" then
      text = tostring(v)
    else
      text = M.str(tostring(v))
    end
    parts[#parts + 1] = M.str(k) .. ":" .. text
  end
  return "{" .. table.concat(parts, ",") .. "}"
end

--- A UUID from a run tag (8 hex digits), a group (thread) number and a counter, so the runner
--- can find a run's rows again: tag-gggg-4000-8000-cccccccccccc.
function M.uuid(tag, group, counter)
  return string.format("%s-%04x-4000-8000-%012x", tag, group % 0x10000, counter)
end

--- Splits "a,b,c" (empty items dropped).
function M.split(text)
  local items = {}
  for item in (text or ""):gmatch("[^,]+") do
    items[#items + 1] = item
  end
  return items
end

--- One POST of a JSON body.
function M.post(path, body, headers)
  local h = { ["Content-Type"] = "application/json" }
  for k, v in pairs(headers or {}) do
    h[k] = v
  end
  return wrk.format("POST", path, h, body)
end

-- Per-thread counters (globals of each thread's environment, read by done() via thread:get).
accepted = 0
rejected = 0
rejected_sample = nil

--- Counts one answer; `ok_status` is the status the workload expects (200 unless given).
function M.count(status, body, ok_status)
  if status == (ok_status or 200) and not (body and body:find('"errors"', 1, true)) then
    accepted = accepted + 1
    return true
  end
  rejected = rejected + 1
  if rejected_sample == nil then
    rejected_sample = "HTTP " .. tostring(status) .. " " .. (body or ""):sub(1, 400)
  end
  return false
end

local threads = {}

--- setup(): numbers the threads (global `thread_id`, from 1) and remembers them for done().
function M.setup(thread)
  threads[#threads + 1] = thread
  thread:set("thread_id", #threads)
end

--- done(): one `BENCH_JSON {...}` line. `extra` names further per-thread numeric globals to sum.
function M.done(summary, latency, extra)
  local totals = { accepted = 0, rejected = 0 }
  for _, name in ipairs(extra or {}) do
    totals[name] = 0
  end
  local sample = nil
  for _, thread in ipairs(threads) do
    for name in pairs(totals) do
      totals[name] = totals[name] + (tonumber(thread:get(name)) or 0)
    end
    sample = sample or thread:get("rejected_sample")
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local result = {
    requests = summary.requests,
    duration_s = seconds,
    rps = summary.requests / seconds,
    accepted_rps = totals.accepted / seconds,
    p50_ms = latency:percentile(50) / 1000,
    p90_ms = latency:percentile(90) / 1000,
    p99_ms = latency:percentile(99) / 1000,
    max_ms = latency.max / 1000,
    mean_ms = latency.mean / 1000,
    socket_errors = e.connect + e.read + e.write + e.timeout,
    connect_errors = e.connect,
    read_errors = e.read,
    write_errors = e.write,
    timeouts = e.timeout,
    status_errors = e.status,
    threads = #threads,
    rejected_sample = sample,
  }
  for name, value in pairs(totals) do
    result[name] = value
  end
  -- Every failure in one number: answers that were not what the workload expects, and
  -- requests that got no answer at all.
  result.errors = totals.rejected + result.socket_errors
  io.write("BENCH_JSON " .. M.object(result) .. "\n")
end

return M
