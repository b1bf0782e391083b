-- Leases queued productions to a coordinator's nodes with free slots: up to a batch in one call.
-- ARGV: 3 lease ttl ms, 4 most assignments, 5 lookahead, 6 default running cap per tenant (0 = none),
--       7 per-tenant running caps (JSON object), 8 node liveness window ms,
--       9.. one node each (JSON: {id, free, gpu, enc = {name = true}, lab = {key = value}})
-- Cost per assignment: O(placement classes with work × log tenants + log queue + nodes); the queue
-- itself is never scanned (at most `lookahead` productions of one tenant's class queue are read).
local ttl, most, lookahead = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local defaultCap, caps = tonumber(ARGV[6]), cjson.decode(ARGV[7])
promote(100)

local nodes = {}
for i = 9, #ARGV do
  local n = cjson.decode(ARGV[i])
  table.insert(nodes, n)
  redis.call('ZADD', P .. 'nodes', NOW, n.id)
end
local live = redis.call('ZCOUNT', P .. 'nodes', NOW - tonumber(ARGV[8]), '+inf')

local function fits(n, req)
  if type(req) ~= 'table' then return true end
  if req.gpu == true and n.gpu ~= true then return false end
  if type(req.enc) == 'table' then
    for _, e in ipairs(req.enc) do
      if type(n.enc) ~= 'table' or n.enc[e] ~= true then return false end
    end
  end
  if type(req.lab) == 'table' then
    for key, value in pairs(req.lab) do
      if type(n.lab) ~= 'table' or n.lab[key] ~= value then return false end
    end
  end
  return true
end

-- Classes with work that some offered node may run.
local classes = {}
for _, id in ipairs(redis.call('SMEMBERS', P .. 'active')) do
  local spec = {}
  if id ~= '0' then spec = cjson.decode(redis.call('HGET', P .. 'classes', id) or '{}') end
  local fitting = {}
  for _, n in ipairs(nodes) do
    if fits(n, spec.r) then table.insert(fitting, n) end
  end
  if #fitting > 0 then table.insert(classes, {id = id, spec = spec, nodes = fitting, skip = {}, skipped = 0}) end
end

-- The free node of a class for a production: not one it failed on (unless it failed on as many
-- nodes as are live), one that meets the preferences if any does, the one with most free slots.
local function pick(class, k)
  local excluded = {}
  local failed = redis.call('HGET', k, 'failed')
  if failed then
    local list = cjson.decode(failed)
    if #list < live then
      for _, e in ipairs(list) do excluded[e[1]] = true end
    end
  end
  local best, bestPreferred
  for _, n in ipairs(class.nodes) do
    if n.free > 0 and not excluded[n.id] then
      local preferred = fits(n, class.spec.p)
      if not best or (preferred and not bestPreferred) or (preferred == bestPreferred and n.free > best.free) then
        best, bestPreferred = n, preferred
      end
    end
  end
  return best
end

local function hasFree(class)
  for _, n in ipairs(class.nodes) do
    if n.free > 0 then return true end
  end
  return false
end

local function tell(id, stage)
  if redis.call('HGET', pkey(id), 'stage') ~= stage then
    redis.call('HSET', pkey(id), 'stage', stage)
    emit(id, 'state')
  end
end

local out = {}
local rounds = most * 2 + 16
while #out < most and rounds > 0 do
  rounds = rounds - 1
  -- The tenant with the fewest running, then the best-placed head, over every class a free node fits.
  local class, tenant, score
  for _, c in ipairs(classes) do
    if hasFree(c) then
      local entries = redis.call('ZRANGE', P .. 'ready:' .. c.id, 0, c.skipped, 'WITHSCORES')
      for i = 1, #entries, 2 do
        if not c.skip[entries[i]] then
          local s = tonumber(entries[i + 1])
          if not score or s < score then class, tenant, score = c, entries[i], s end
          break
        end
      end
    end
  end
  if not class then break end

  local cap = tonumber(caps[tenant]) or defaultCap
  local running = running_of(tenant)
  local q = qkey(class.id, tenant)
  if cap > 0 and running >= cap then
    -- Out of every ready set until one of its renders ends (release puts it back).
    redis.call('SADD', P .. 'capped', tenant)
    refresh_tenant(tenant)
    local head = redis.call('ZRANGE', q, 0, 0)
    if head[1] then tell(head[1], string.format('waiting for a slot: tenant %s runs %d of %d', tenant, running, cap)) end
  else
    local chosen, node
    for _, id in ipairs(redis.call('ZRANGE', q, 0, lookahead - 1)) do
      local k = pkey(id)
      if redis.call('HGET', k, 'state') ~= 'QUEUED' then
        redis.call('ZREM', q, id)
      else
        node = pick(class, k)
        -- The ZREM is the claim: of two dispatchers that picked it, one removes it.
        if node and redis.call('ZREM', q, id) == 1 then chosen = id; break end
      end
    end
    if chosen then
      local k = pkey(chosen)
      counter(P .. 'tenant:' .. tenant .. ':queued', -1)
      local token = redis.call('INCR', P .. 'fence')
      local attempt = redis.call('HINCRBY', k, 'attempts', 1)
      redis.call('HSET', k, 'state', 'RUNNING', 'token', token, 'node', node.id, 'started', NOW, 'progress', 0,
        'stage', 'assigned to ' .. node.id)
      redis.call('ZADD', P .. 'leases', NOW + ttl, chosen)
      redis.call('INCR', P .. 'tenant:' .. tenant .. ':running')
      refresh_tenant(tenant)
      emit(chosen, 'state')
      node.free = node.free - 1
      table.insert(out, {chosen, token, attempt, redis.call('HGET', k, 'spec'), node.id})
    else
      -- Its next productions all failed on the free nodes: leave the tenant to other nodes this time.
      refresh(tenant, class.id)
      class.skip[tenant] = true
      class.skipped = class.skipped + 1
    end
  end
end
return out
