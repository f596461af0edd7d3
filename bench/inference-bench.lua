-- wrk script of bench/inference-bench.sh: POSTs the JSON body in the file named by $WRK_BODY, counts the answers by
-- HTTP status and by the model version that answered (the response hook), and prints one line for the script to read:
--   RESULT requests duration_us p50_us p99_us max_us non_2xx timeouts connect_errors read_errors statuses versions
-- (statuses and versions as code:count,... and version:count,...; "-" when none). Latencies are wrk's own, corrected
-- for coordinated omission.
-- With WRK_THINK_MS set, each connection first waits a random time before each request (see below): a paced load of
-- independent users rather than a closed loop.
local file = assert(io.open(assert(os.getenv("WRK_BODY"), "set WRK_BODY to the request body's file"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

-- WRK_THINK_MS: the mean of that wait in ms, exponentially distributed (as independent users' requests are), so that
-- the connections' requests do not arrive together (wrk waits whole ms: the mean is about half a ms less); wrk times
-- a request from its sending, not from the start of the wait
local think = tonumber(os.getenv("WRK_THINK_MS") or "")

function init(args)
  math.randomseed(os.time() * 1000 + (id or 0))
end

if think then
  function delay()
    return -think * math.log(1 - math.random())
  end
end

statuses = {}
versions = {}

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  local version = body and string.match(body, '"model_version":"([^"]*)"')
  if version then
    versions[version] = (versions[version] or 0) + 1
  end
end

local function add(into, from)
  for key, count in pairs(from) do
    into[key] = (into[key] or 0) + count
  end
end

local function list(counts)
  local parts = {}
  for key, count in pairs(counts) do
    table.insert(parts, key .. ":" .. count)
  end
  table.sort(parts)
  return #parts > 0 and table.concat(parts, ",") or "-"
end

function done(summary, latency, requests)
  local allStatuses, allVersions, non2xx = {}, {}, 0
  for _, thread in ipairs(threads) do
    add(allStatuses, thread:get("statuses"))
    add(allVersions, thread:get("versions"))
  end
  for status, count in pairs(allStatuses) do
    if status < 200 or status > 299 then
      non2xx = non2xx + count
    end
  end
  local errors = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d %d %d %d %s %s\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), latency.max, non2xx, errors.timeout, errors.connect, errors.read,
    list(allStatuses), list(allVersions)))
end
