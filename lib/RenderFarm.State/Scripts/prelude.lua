-- Prepended to every script. ARGV[1] is the key prefix, ARGV[2] the caller's clock in ms.
-- Scripts compute production keys from ids, so they target one Redis (or Garnet) node, not a cluster.
local P = ARGV[1]
local NOW = tonumber(ARGV[2])
local RANK_SPAN = 10000000000000

local function pkey(id) return P .. 'prod:' .. id end

-- A production reached a final state: its webhook joins the outbox (the sender looks up the URL,
-- if any, when it is due), and a succeeded production's output joins the retention index.
local HOOKS = {SUCCEEDED = 'production.succeeded', FAILED = 'production.failed', CANCELLED = 'production.cancelled'}
local function finished(id, state, seq)
  if not HOOKS[state] then return end
  redis.call('ZADD', P .. 'webhooks', NOW, cjson.encode({id = id, type = HOOKS[state], seq = seq, time = NOW, attempt = 1}))
  if state == 'SUCCEEDED' then redis.call('ZADD', P .. 'outputs', NOW, id) end
end

-- Appends an event to the production's replay list and publishes it to watchers.
local function emit(id, kind)
  local k = pkey(id)
  local seq = redis.call('HINCRBY', k, 'seq', 1)
  local f = redis.call('HMGET', k, 'state', 'progress', 'stage')
  if kind == 'state' then finished(id, f[1], seq) end
  local ev = cjson.encode({seq = seq, type = kind, state = f[1] or '', progress = tonumber(f[2]) or 0,
    stage = f[3] or '', time = NOW})
  local ek = P .. 'events:' .. id
  redis.call('RPUSH', ek, ev)
  redis.call('LTRIM', ek, -200, -1)
  redis.call('PUBLISH', ek, ev)
end

-- Puts a production back in the queue, ordered by priority rank, then by first enqueue time.
local function enqueue(id, k)
  local f = redis.call('HMGET', k, 'rank', 'enqueued')
  redis.call('ZADD', P .. 'queue', tonumber(f[1]) * RANK_SPAN + tonumber(f[2]), id)
  redis.call('PUBLISH', P .. 'signal', id)
end

-- A production leaves RUNNING: its lease and its tenant's running slot are released.
local function release(id, k)
  redis.call('ZREM', P .. 'leases', id)
  local tenant = redis.call('HGET', k, 'tenant')
  local rk = P .. 'tenant:' .. tenant .. ':running'
  if tonumber(redis.call('DECR', rk)) <= 0 then redis.call('DEL', rk) end
end

-- Tells the coordinator holding a node's stream to stop one of its assignments.
local function control(node, id, token, reason)
  redis.call('PUBLISH', P .. 'control', cjson.encode({node = node, id = id, token = token, reason = reason}))
end

-- Takes a production out of the queue, or off its node (which is told why); false when it was final.
local function withdraw(id, k, state, node, token, reason)
  if state == 'QUEUED' then
    redis.call('ZREM', P .. 'queue', id)
    return true
  elseif state == 'RUNNING' then
    release(id, k)
    control(node, id, token, reason)
    return true
  end
  return false
end
