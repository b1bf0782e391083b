-- Leases queued productions to a coordinator's nodes with free slots: up to a batch in one call.
-- ARGV: 3 lease ttl ms, 4 most assignments, 5 lookahead, 6 default running cap per tenant (0 = none),
--       7 per-tenant running caps (JSON object), 8 node liveness window ms,
--       9.. three per node: id, free slots, capabilities (JSON: {gpu, enc = {name = true}, lab = {key = value}})
-- Returns one {id, token, attempt, spec, node id, job spec ('' for a record without one)} per lease.
-- Cost per assignment: O(placement classes with work × tenants passed over + log queue); the queue
-- itself is never scanned (at most `lookahead` productions of one tenant's class queue are read).
-- The ranking of tenants is read once and kept here while the call hands out its batch; the ready
-- sets are written back once per tenant touched, at the end.
local ttl, most, lookahead = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local defaultCap = tonumber(ARGV[6])
local caps = ARGV[7] == '{}' and {} or cjson.decode(ARGV[7])
promote(100)

local nodes, seen = {}, {}
for i = 9, #ARGV, 3 do
  table.insert(nodes, {id = ARGV[i], free = tonumber(ARGV[i + 1]), caps = ARGV[i + 2]})
  table.insert(seen, NOW)
  table.insert(seen, ARGV[i])
end
for i = 1, #seen, 1000 do
  redis.call('ZADD', P .. 'nodes', unpack(seen, i, math.min(i + 999, #seen)))
end

-- Nodes counted live (for keeping retries off nodes they failed on), read when first needed.
local live
local function liveNodes()
  live = live or redis.call('ZCOUNT', P .. 'nodes', NOW - tonumber(ARGV[8]), '+inf')
  return live
end

local function fits(n, req)
  if type(req) ~= 'table' then return true end
  n.p = n.p or cjson.decode(n.caps)
  if req.gpu == true and n.p.gpu ~= true then return false end
  if type(req.enc) == 'table' then
    for _, e in ipairs(req.enc) do
      if type(n.p.enc) ~= 'table' or n.p.enc[e] ~= true then return false end
    end
  end
  if type(req.lab) == 'table' then
    for key, value in pairs(req.lab) do
      if type(n.p.lab) ~= 'table' or n.p.lab[key] ~= value then return false end
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
  if #fitting > 0 then
    table.insert(classes, {id = id, spec = spec, nodes = fitting, entries = {}, loaded = 0, more = true, skip = {}})
  end
end

-- Tenants met in this call: running count (read once, plus what this call assigned), whether held
-- at the cap, how many left their queues; and each (class, tenant) queue's head as read here.
local tenants, heads = {}, {}
local function tenantOf(name)
  local t = tenants[name]
  if not t then
    t = {running = running_of(name), assigned = 0, capped = false, touched = false}
    tenants[name] = t
  end
  return t
end

-- The head entries of a tenant's queue of a class, read `lookahead` at a time; taken ones are
-- marked, and the list is read again once all are taken (until the queue is found empty).
local function headOf(class, tenant)
  local key = class.id .. '\0' .. tenant
  local h = heads[key]
  if not h then
    h = {q = qkey(class.id, tenant), ids = {}, scores = {}, taken = {}, left = 0, empty = false}
    heads[key] = h
  end
  if h.left == 0 and not h.empty then
    local r = redis.call('ZRANGE', h.q, 0, lookahead - 1, 'WITHSCORES')
    h.ids, h.scores, h.taken, h.left, h.empty = {}, {}, {}, #r / 2, #r == 0
    for i = 1, #r, 2 do
      table.insert(h.ids, r[i])
      table.insert(h.scores, tonumber(r[i + 1]))
    end
  end
  return h
end

local function headScore(h)
  for i, id in ipairs(h.ids) do
    if not h.taken[i] then return h.scores[i] end
  end
  return nil
end

-- Reads the next few tenants of a class's ranking.
local CHUNK = 16
local function loadMore(class)
  local r = redis.call('ZRANGE', P .. 'ready:' .. class.id, class.loaded, class.loaded + CHUNK - 1, 'WITHSCORES')
  for i = 1, #r, 2 do table.insert(class.entries, {r[i], tonumber(r[i + 1])}) end
  class.loaded = class.loaded + CHUNK
  class.more = #r == 2 * CHUNK
end

-- The best tenant of a class now: the ranking as read, where tenants this call changed are
-- re-scored from what it knows. A tenant it has not touched scores as read, and every later one
-- scores at least as much, so the scan stops at the first untouched tenant.
local function best(class)
  local tenant, score
  local i = 1
  while true do
    if i > #class.entries then
      if not class.more then break end
      loadMore(class)
      if i > #class.entries then break end
    end
    local name, s = class.entries[i][1], class.entries[i][2]
    local t = tenants[name]
    if not class.skip[name] and not (t and t.capped) then
      if t and (t.assigned > 0 or heads[class.id .. '\0' .. name]) then
        local hs = headScore(headOf(class, name))
        if hs then
          s = (t.running + t.assigned) * TWO42 + hs
          if not score or s < score then tenant, score = name, s end
        end
      else
        if not score or s < score then tenant, score = name, s end
        break
      end
    end
    i = i + 1
  end
  return tenant, score
end

-- The free node of a class for a production: not one it failed on (unless it failed on as many
-- nodes as are live), one that meets the preferences if any does, the one with most free slots.
local function pick(class, failed)
  local excluded = {}
  if failed then
    local list = cjson.decode(failed)
    if #list < liveNodes() then
      for _, e in ipairs(list) do excluded[e[1]] = true end
    end
  end
  local chosen, chosenPreferred
  for _, n in ipairs(class.nodes) do
    if n.free > 0 and not excluded[n.id] then
      local preferred = class.spec.p == nil or fits(n, class.spec.p)
      if not chosen or (preferred and not chosenPreferred) or (preferred == chosenPreferred and n.free > chosen.free) then
        chosen, chosenPreferred = n, preferred
      end
    end
  end
  return chosen
end

local function hasFree(class)
  for _, n in ipairs(class.nodes) do
    if n.free > 0 then return true end
  end
  return false
end

local function tell(id, stage)
  local k = pkey(id)
  if redis.call('HGET', k, 'stage') ~= stage then
    redis.call('HSET', k, 'stage', stage)
    emit(id, 'state')
  end
end

local out = {}
local leases = {}
local rounds = most * 2 + 16
while #out < most and rounds > 0 do
  rounds = rounds - 1
  -- The tenant with the fewest running, then the best-placed head, over every class a free node fits.
  local class, tenant, score
  for _, c in ipairs(classes) do
    if hasFree(c) then
      local name, s = best(c)
      if name and (not score or s < score) then class, tenant, score = c, name, s end
    end
  end
  if not class then break end

  local t = tenantOf(tenant)
  t.touched = true
  local cap = tonumber(caps[tenant]) or defaultCap
  local h = headOf(class, tenant)
  if cap > 0 and t.running + t.assigned >= cap then
    -- Out of every ready set until one of its renders ends (release puts it back). Checked again
    -- after the SADD: a release that ran in between (on Garnet) would otherwise leave it capped.
    redis.call('SADD', P .. 'capped', tenant)
    t.running = running_of(tenant)
    t.capped = t.running + t.assigned >= cap
    if not t.capped then redis.call('SREM', P .. 'capped', tenant) end
  end
  if t.capped then
    for i, id in ipairs(h.ids) do
      if not h.taken[i] then
        tell(id, string.format('waiting for a slot: tenant %s runs %d of %d', tenant, t.running + t.assigned, cap))
        break
      end
    end
  else
    local chosen, node, spec, job
    for i, id in ipairs(h.ids) do
      if not h.taken[i] then
        local k = pkey(id)
        local f = redis.call('HMGET', k, 'state', 'failed', 'spec', 'job')
        if f[1] ~= 'QUEUED' then
          -- Left the queue meanwhile (cancelled, deleted): drop the stale entry.
          redis.call('ZREM', h.q, id)
          h.taken[i] = true
          h.left = h.left - 1
        else
          node = pick(class, f[2])
          if node then
            h.taken[i] = true
            h.left = h.left - 1
            -- The ZREM is the claim: of two dispatchers that picked it, one removes it.
            if redis.call('ZREM', h.q, id) == 1 then chosen, spec, job = id, f[3], f[4] or ''; break end
          end
        end
      end
    end
    if chosen then
      local k = pkey(chosen)
      local token = redis.call('INCR', P .. 'fence')
      local attempt = redis.call('HINCRBY', k, 'attempts', 1)
      local stage = 'assigned to ' .. node.id
      redis.call('HSET', k, 'state', 'RUNNING', 'token', token, 'node', node.id, 'started', NOW, 'progress', 0,
        'stage', stage)
      redis.call('ZADD', P .. 'leases', NOW + ttl, chosen)
      emit(chosen, 'state', {state = 'RUNNING', progress = 0, stage = stage})
      t.assigned = t.assigned + 1
      node.free = node.free - 1
      table.insert(out, {chosen, token, attempt, spec, node.id, job})
    else
      -- Its next productions all failed on the free nodes: leave the tenant to other nodes this time.
      class.skip[tenant] = true
    end
  end
end

-- Write back what changed: counters, then each touched tenant's rank in every class it has work in.
for name, t in pairs(tenants) do
  if t.assigned > 0 then
    counter(P .. 'tenant:' .. name .. ':queued', -t.assigned)
    t.running = tonumber(redis.call('INCRBY', P .. 'tenant:' .. name .. ':running', t.assigned))
    t.assigned = 0
  end
  if t.touched then refresh_tenant(name, t.running, t.capped) end
end
return out
