-- The admin panel's reads as it sends them: POST /graphql with the bearer token, the SPA's own
-- document (operation name, query text, variables). Several variable sets rotate, e.g. search
-- terms, so one cached answer does not stand in for all.
--
-- wrk -t2 -c8 -d10s -s bench/lua/query.lua URL -- TOKEN OPERATION DOCUMENT VARIABLES...
--   TOKEN      bearer token of a signed-in admin ("-" for none)
--   OPERATION  the operation's name ("-" for none)
--   DOCUMENT   the query text
--   VARIABLES  one or more JSON objects, used in turn

local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
package.path = dir .. "?.lua;" .. package.path
local common = require("common")

local requests_text = {}
local n = 0

function init(args)
  local token, operation, document = args[1], args[2], args[3] or "{__typename}"
  local headers = {}
  if token and token ~= "-" then
    headers["Authorization"] = "Bearer " .. token
  end
  local head = "{"
  if operation and operation ~= "-" then
    head = head .. '"operationName":' .. common.str(operation) .. ","
  end
  head = head .. '"query":' .. common.str(document)
  for i = 4, math.max(4, #args) do
    local variables = args[i]
    local body = head .. (variables and (',"variables":' .. variables) or "") .. "}"
    requests_text[#requests_text + 1] = common.post("/graphql", body, headers)
  end
  -- Threads start at different places in the rotation.
  n = (thread_id or 1) - 1
end

function request()
  n = n + 1
  return requests_text[(n - 1) % #requests_text + 1]
end

function response(status, headers, body)
  common.count(status, body)
end

setup = common.setup

function done(summary, latency, requests)
  common.done(summary, latency)
end
