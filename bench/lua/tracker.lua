-- Tracker traffic as browsers send it: many visits, each visit's batches in seq order, about
-- one batch a second per visit, 20 cursor points + 1 click + 1 engaged second per batch (and
-- now and then a form field's focus), the very document the public page's tracker sends.
--
-- wrk -t2 -c32 -d20s -s bench/lua/tracker.lua URL -- MODE TAG PAGES BATCHES_PER_VISIT [DOCUMENT]
--   MODE      graphql: POST /graphql with the tracker's mutation, accepted = 200 without errors
--             baseline: POST the same JSON text to the baseline's /insert, accepted = 201
--   TAG       8 hex digits naming the run: visit ids are TAG-<thread>-4000-8000-<counter>
--   PAGES     the site's pages, comma-separated (the first gets most of the traffic)
--   BATCHES_PER_VISIT  a visit ends after this many batches and a fresh one starts
--   DOCUMENT  the SubmitMetrics document text (graphql mode)
--
-- Pacing: the server credits a visit at most its wall time since its first batch (+60 s) of
-- engaged seconds, 10 clicks and 20 points a second; real pages send one batch a second. So a
-- visit is sent a batch only when its previous one went out at least a second ago; when the
-- next visit in the round is not due yet, a new visit starts instead. The pool of open visits
-- thereby grows to about the request rate, and each visit stays at <= 1 batch a second.

local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
package.path = dir .. "?.lua;" .. package.path
local common = require("common")

local MIN_GAP_S = 1.0
local MAX_OPEN_VISITS = 200000
local RETURNING_SHARE = 0.25

-- Viewports seen on a small business site: width, height.
local VIEWPORTS = {
  { 1920, 1080 }, { 1536, 864 }, { 1440, 900 }, { 1366, 768 }, { 1280, 720 },
  { 390, 844 }, { 393, 873 }, { 412, 915 }, { 360, 800 }, { 375, 667 },
  { 768, 1024 }, { 820, 1180 },
}
-- What visitors click on the order page (ids and data-track values of its elements).
local ELEMENTS = {
  "f-name", "f-surname", "f-email", "f-phone", "f-serviceId", "f-budget", "f-deadline",
  "f-companySize", "f-businessInfo", "f-additionalComments", "submit", "heading", "services",
}
local FIELDS = { "name", "surname", "email", "phone", "serviceId", "budget", "businessInfo" }

local mode, tag, pages, batches_per_visit, path, ok_status
-- The body up to the batch: the same for every request, so made once (escaping the document
-- per request cost the load generator more CPU than anything else it does).
local body_head
local visits = {}
local next_index = 0
local visit_counter = 0
local visitor_counter = 0
local recent_visitors = {}
new_visits = 0
batches = 0

function init(args)
  mode = args[1] or "graphql"
  tag = args[2] or "b0000000"
  pages = common.split(args[3] or "/")
  batches_per_visit = tonumber(args[4]) or 30
  body_head = '{"query":' .. common.str(args[5] or "") .. ',"variables":{"input":'
  path = mode == "baseline" and "/insert" or "/graphql"
  ok_status = mode == "baseline" and 201 or 200
  math.randomseed((thread_id or 1) * 7919 + tonumber(tag, 16) % 100003)
end

local function pick(list)
  return list[math.random(#list)]
end

local function page()
  -- Most visits land on the first page.
  if #pages == 1 or math.random() < 0.7 then
    return pages[1]
  end
  return pages[math.random(2, #pages)]
end

local function new_visit(t)
  visit_counter = visit_counter + 1
  new_visits = new_visits + 1
  local visitor
  if #recent_visitors > 0 and math.random() < RETURNING_SHARE then
    visitor = pick(recent_visitors)
  else
    visitor_counter = visitor_counter + 1
    visitor = common.uuid(tag, 0x8000 + thread_id, visitor_counter)
    recent_visitors[(visitor_counter - 1) % 500 + 1] = visitor
  end
  local vp = pick(VIEWPORTS)
  return {
    id = common.uuid(tag, thread_id, visit_counter),
    visitor = visitor,
    page_json = common.str(page()),
    width = vp[1],
    height = vp[2],
    seq = 0,
    last = t,
    x = math.random(),
    y = math.random(0, 1200),
  }
end

-- The next visit due for a batch, or a new one.
local function due_visit(t)
  local n = #visits
  if n > 0 then
    next_index = next_index % n + 1
    local v = visits[next_index]
    if t - v.last >= MIN_GAP_S or n >= MAX_OPEN_VISITS then
      if v.seq >= batches_per_visit then
        v = new_visit(t)
        visits[next_index] = v
      end
      return v
    end
  end
  local v = new_visit(t)
  visits[n + 1] = v
  next_index = n + 1
  return v
end

local function batch_body(v)
  local points = {}
  local x, y = v.x, v.y
  for i = 1, 20 do
    -- A cursor wanders: small steps, now and then a scroll.
    x = math.min(1, math.max(0, x + (math.random() - 0.5) * 0.08))
    y = math.min(100000, math.max(0, y + math.random(-40, 60)))
    points[i] = string.format('{"x":%.4f,"y":%d}', x, y)
  end
  v.x, v.y = x, y
  local fields = "[]"
  if math.random() < 0.1 then
    fields = string.format(
      '[{"name":"%s","focusCount":1,"focusedMs":%d,"lastTouched":true}]',
      pick(FIELDS),
      math.random(300, 9000)
    )
  end
  local input = string.format(
    '{"visitorId":"%s","visitId":"%s","seq":%d,"page":%s,"viewportWidth":%d,'
      .. '"viewportHeight":%d,"engagedSeconds":1,"clicks":[{"element":"%s","count":1}],'
      .. '"points":[%s],"fields":%s}',
    v.visitor, v.id, v.seq, v.page_json, v.width, v.height, pick(ELEMENTS),
    table.concat(points, ","), fields
  )
  return body_head .. input .. "}}"
end

function request()
  local t = common.now()
  local v = due_visit(t)
  v.seq = v.seq + 1
  v.last = t
  batches = batches + 1
  return common.post(path, batch_body(v))
end

function response(status, headers, body)
  common.count(status, body, ok_status)
end

setup = common.setup

function done(summary, latency, requests)
  common.done(summary, latency, { "new_visits", "batches" })
end
