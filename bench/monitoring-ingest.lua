-- wrk script of bench/monitoring-bench.sh: POSTs the inference service's prediction log to monitoring, each request a
-- record of ROWS rows (env, default 32) of iris-like features with fresh prediction ids (so every row is new), and
-- prints one line for the script to read:
--   RESULT requests duration_us p50_us p99_us max_us non_2xx timeouts connect_errors read_errors statuses
local rows = tonumber(os.getenv("ROWS") or "32")
local model = os.getenv("MODEL") or "iris-species"
local classes = { "setosa", "versicolor", "virginica" }
local threads = {}
local counter = 0
local thread_id = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("id", thread_id)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(id * 7919)
end

local function column(base, spread)
  local values = {}
  for i = 1, rows do
    values[i] = string.format("%.2f", base + spread * (math.random() - 0.5))
  end
  return "[" .. table.concat(values, ",") .. "]"
end

function request()
  local ids = {}
  local labels = {}
  for i = 1, rows do
    counter = counter + 1
    ids[i] = string.format('"b%02d-%012d"', id, counter)
    labels[i] = '"' .. classes[math.random(3)] .. '"'
  end
  local body = '{"predictions":[{"model":"' .. model .. '","version":"1","timestamp":"'
    .. os.date("!%Y-%m-%dT%H:%M:%SZ") .. '","latency_ms":1.5,"prediction_ids":[' .. table.concat(ids, ",")
    .. '],"features":{"sepal_length":' .. column(5.8, 2.0) .. ',"sepal_width":' .. column(3.0, 1.2)
    .. ',"petal_length":' .. column(3.8, 4.0) .. ',"petal_width":' .. column(1.2, 1.6)
    .. '},"outputs":{"label":[' .. table.concat(labels, ",") .. ']}}]}'
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end

statuses = {}

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local all = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      all[status] = (all[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(all) do
    table.insert(parts, status .. ":" .. count)
  end
  table.sort(parts)
  local errors = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d %d %d %d %s\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), latency.max, errors.status, errors.timeout, errors.connect,
    errors.read, #parts > 0 and table.concat(parts, ",") or "-"))
end
