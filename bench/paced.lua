-- wrk script for a paced load of independent clients: each connection waits an exponentially distributed time, of
-- mean WRK_THINK_MS ms, before each request (wrk waits whole ms: the mean is about half a ms less), so that the
-- connections' requests arrive spread out rather than together; wrk times a request from its sending.
local think = assert(tonumber(os.getenv("WRK_THINK_MS") or ""), "set WRK_THINK_MS to the mean wait in ms")

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  math.randomseed(os.time() * 1000 + (id or 0))
end

function delay()
  return -think * math.log(1 - math.random())
end
