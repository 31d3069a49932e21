-- wrk script for GET /api/v1/items at random keyset pages of one of operator OPA's five networks
-- in the database TestMakeItemsDB writes (network k holds ids (k-1)*10000+1 .. k*10000):
--
--   CRITREG_TOKEN=$(cat /tmp/items.db.token) LIMIT=100 wrk -t2 -c32 -d10s --latency -s server/testdata/wrk-items.lua http://127.0.0.1:8080/
local token = os.getenv("CRITREG_TOKEN") or error("set CRITREG_TOKEN to the token TestMakeItemsDB wrote")
local limit = tonumber(os.getenv("LIMIT") or "100")
local b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
local function enc(s)
  return ((s:gsub('.', function(x)
    local r, b = '', x:byte()
    for i = 8, 1, -1 do r = r .. (b % 2 ^ i - b % 2 ^ (i - 1) > 0 and '1' or '0') end
    return r
  end) .. '0000'):gsub('%d%d%d?%d?%d?%d?', function(x)
    if #x < 6 then return '' end
    local c = 0
    for i = 1, 6 do c = c + (x:sub(i, i) == '1' and 2 ^ (6 - i) or 0) end
    return b64:sub(c + 1, c + 1)
  end))
end
-- 4,000 random pages per thread, made before the run so that wrk spends its time on HTTP.
local reqs = {}
function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
  for i = 1, 4000 do
    local net = math.random(1, 5)
    local lo = (net - 1) * 10000 + 1
    local after = lo + math.random(0, 10000 - limit - 2)
    local path = "/api/v1/items?limit=" .. limit .. "&network_id=" .. net .. "&cursor=" .. enc("id:" .. after)
    reqs[i] = wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
  end
end
request = function()
  return reqs[math.random(1, #reqs)]
end
-- No response callback: wrk counts non-2xx answers itself, and a callback would copy every
-- body into Lua.
