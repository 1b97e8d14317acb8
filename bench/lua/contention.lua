-- Contention: many batches of few visits at once, as when a page-hide flush races retries.
-- VISITS visits of BATCHES batches each (seq 1..BATCHES), sent in order over all connections:
-- with -c16 and 16 batches a visit, all batches of one visit are in flight together. Then the
-- whole list is sent again PASSES-1 times, unchanged (a batch whose answer was lost is resent
-- exactly as it was): every batch must be applied once, and each resend acknowledged without
-- changing anything. Once every request of every pass is answered the thread stops and prints
-- BENCH_STOP, on which the runner ends wrk (SIGINT: it then reports as usual).
--
-- wrk -t1 -c16 -d60s -s bench/lua/contention.lua URL -- TAG VISITS BATCHES PASSES PAGE DOCUMENT
--
-- Each batch carries 1 engaged second, 1 click and 20 points, so afterwards every visit
-- TAG-0001-4000-8000-<n> (n = 1..VISITS) must hold exactly BATCHES engaged seconds, BATCHES
-- clicks and 20 x BATCHES points. A visit's batches go out within a second or two, far inside
-- the server's credit bound (wall time + 60 s).

local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
package.path = dir .. "?.lua;" .. package.path
local common = require("common")

local bodies = {}
local total, passes
local sent = 0
answered = 0

function init(args)
  local tag = args[1] or "c0000000"
  local visits = tonumber(args[2]) or 32
  local batches = tonumber(args[3]) or 16
  passes = tonumber(args[4]) or 2
  local page = args[5] or "/"
  local document = args[6] or ""
  math.randomseed(tonumber(tag, 16) % 100003)
  for v = 1, visits do
    local visit = common.uuid(tag, 1, v)
    local visitor = common.uuid(tag, 0x8001, v)
    for seq = 1, batches do
      local points = {}
      for i = 1, 20 do
        points[i] = string.format('{"x":%.4f,"y":%d}', math.random(), math.random(0, 2400))
      end
      local input = string.format(
        '{"visitorId":"%s","visitId":"%s","seq":%d,"page":%s,"viewportWidth":1440,'
          .. '"viewportHeight":900,"engagedSeconds":1,"clicks":[{"element":"submit","count":1}],'
          .. '"points":[%s],"fields":[]}',
        visitor, visit, seq, common.str(page), table.concat(points, ",")
      )
      bodies[#bodies + 1] = common.post(
        "/graphql",
        '{"query":' .. common.str(document) .. ',"variables":{"input":' .. input .. "}}"
      )
    end
  end
  total = #bodies * passes
end

function request()
  sent = sent + 1
  return bodies[(sent - 1) % #bodies + 1]
end

function response(status, headers, body)
  common.count(status, body)
  answered = answered + 1
  if answered == total then
    -- wrk's main thread sleeps for the whole -d; the runner ends it (SIGINT) on this line.
    io.write("BENCH_STOP\n")
    io.flush()
    wrk.thread:stop()
  end
end

setup = common.setup

function done(summary, latency, requests)
  common.done(summary, latency, { "answered" })
end
