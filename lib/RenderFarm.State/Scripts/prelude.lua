-- Prepended to every script. ARGV[1] is the key prefix, ARGV[2] the caller's clock in ms.
-- Scripts compute production keys from ids, so they target one Redis (or Garnet) node, not a cluster.
-- Every redis.call costs a microsecond or two of the server's single thread on top of the command,
-- so the hot scripts (create, dispatch, complete) pass along what they already know instead of
-- reading it again.
local P = ARGV[1]
local NOW = tonumber(ARGV[2])

local function pkey(id) return P .. 'prod:' .. id end

-- A production reached a final state: its webhook joins the outbox (the sender looks up the URL
-- when it is due) unless the record says at creation that no webhook applies (hook '0'), and a
-- succeeded production's output joins the retention index.
local HOOKS = {SUCCEEDED = 'production.succeeded', FAILED = 'production.failed', CANCELLED = 'production.cancelled'}
local function finished(id, state, seq, hook)
  if not HOOKS[state] then return end
  if hook ~= '0' then
    redis.call('ZADD', P .. 'webhooks', NOW, cjson.encode({id = id, type = HOOKS[state], seq = seq, time = NOW, attempt = 1}))
  end
  if state == 'SUCCEEDED' then redis.call('ZADD', P .. 'outputs', NOW, id) end
end

-- Appends an event to the production's replay list (the latest 200) and publishes it to watchers.
-- `known` holds the production's state, progress, stage and hook when the caller has just written
-- them; without it they are read. `seq` is the event's sequence number when the caller already
-- wrote it (a new production's first event), else the next one is taken.
local function emit(id, kind, known, seq)
  local k = pkey(id)
  seq = seq or redis.call('HINCRBY', k, 'seq', 1)
  local f = known
  if not f then
    local r = redis.call('HMGET', k, 'state', 'progress', 'stage', 'hook')
    f = {state = r[1], progress = r[2], stage = r[3], hook = r[4]}
  end
  if kind == 'state' then finished(id, f.state, seq, f.hook) end
  local ev = cjson.encode({seq = seq, type = kind, state = f.state or '', progress = tonumber(f.progress) or 0,
    stage = f.stage or '', time = NOW})
  local ek = P .. 'events:' .. id
  if redis.call('RPUSH', ek, ev) > 200 then redis.call('LTRIM', ek, -200, -1) end
  redis.call('PUBLISH', ek, ev)
end

-- Queues. Waiting productions sit in one sorted set per placement class and tenant,
-- q:{class}:{tenant}, scored by enqueue ms + priority rank × aging step (so waiting improves the
-- rank linearly, with a score fixed at creation). ready:{class} ranks the tenants with work of
-- that class by running count × 2^42 + score of their best production: least running first,
-- then the best-placed head, which gives round robin between equal tenants. active holds the
-- classes with a ready tenant, classes their requirements (JSON), tclasses:{tenant} the classes
-- a tenant has work in, capped the tenants at their concurrency cap (out of every ready set
-- until one of their renders ends), delayed the retries waiting out their backoff.
local TWO42 = 4398046511104

-- Adds delta to a counter, removing it when it reaches zero; returns the new value.
local function counter(key, delta)
  local v = tonumber(redis.call('INCRBY', key, delta))
  if v <= 0 then redis.call('DEL', key) end
  return v
end

local function running_of(tenant)
  return tonumber(redis.call('GET', P .. 'tenant:' .. tenant .. ':running') or '0')
end

local function qkey(class, tenant) return P .. 'q:' .. class .. ':' .. tenant end

-- Takes a tenant out of the ready set of a class (its queue there emptied, or it is capped).
-- Garnet may interleave two scripts, so each removal is checked again after it is made: an
-- enqueue (ZADD to the queue, then ZADD to the ready set) or a release (SREM of capped, then ZADD)
-- that ran in between is seen, and the removal undone. Whichever order the commands run in, a
-- tenant with work that is not capped ends up ranked, and a class with a ranked tenant active.
local function unrank(tenant, class, rk)
  if redis.call('ZREM', rk, tenant) == 1 and redis.call('ZCARD', rk) == 0 then
    redis.call('SREM', P .. 'active', class)
    if redis.call('ZCARD', rk) > 0 then redis.call('SADD', P .. 'active', class) end
  end
end

-- Re-ranks a tenant in the ready set of a class after its head or running count changed.
-- `running` and `capped` are read when the caller does not know them (nil).
local function refresh(tenant, class, running, capped)
  local rk = P .. 'ready:' .. class
  local q = qkey(class, tenant)
  local head = redis.call('ZRANGE', q, 0, 0, 'WITHSCORES')
  if #head == 0 then
    redis.call('SREM', P .. 'tclasses:' .. tenant, class)
    unrank(tenant, class, rk)
    head = redis.call('ZRANGE', q, 0, 0, 'WITHSCORES')
    if #head == 0 then return end
    -- Work arrived meanwhile: rank it after all.
    running, capped = nil, nil
  end
  redis.call('SADD', P .. 'tclasses:' .. tenant, class)
  if capped == nil then capped = redis.call('SISMEMBER', P .. 'capped', tenant) == 1 end
  if capped then
    unrank(tenant, class, rk)
    if redis.call('SISMEMBER', P .. 'capped', tenant) == 1 then return end
    -- Released meanwhile: rank it after all.
    running = nil
  end
  redis.call('ZADD', rk, (running or running_of(tenant)) * TWO42 + tonumber(head[2]), tenant)
  redis.call('SADD', P .. 'active', class)
end

local function refresh_tenant(tenant, running, capped)
  for _, class in ipairs(redis.call('SMEMBERS', P .. 'tclasses:' .. tenant)) do
    refresh(tenant, class, running, capped)
  end
end

-- Makes a QUEUED production eligible for dispatch. `f` holds its tenant, class and queue score
-- when the caller knows them. The ready set only changes when the production became its tenant's
-- head: behind the head it changes nothing.
local function place(id, k, f)
  if not f then
    local r = redis.call('HMGET', k, 'tenant', 'class', 'qscore')
    f = {tenant = r[1], class = r[2] or '0', score = tonumber(r[3])}
  end
  local q = qkey(f.class, f.tenant)
  redis.call('ZADD', q, f.score, id)
  local head = redis.call('ZRANGE', q, 0, 0)
  -- Behind the head only a tenant missing from the ranking (neither ranked nor capped: a race
  -- on Garnet left it out) needs it.
  if head[1] == id or not redis.call('ZSCORE', P .. 'ready:' .. f.class, f.tenant) then refresh(f.tenant, f.class) end
end

-- A production becomes QUEUED and eligible now.
local function enqueue(id, k, f)
  local tenant = f and f.tenant or redis.call('HGET', k, 'tenant')
  counter(P .. 'tenant:' .. tenant .. ':queued', 1)
  place(id, k, f)
  redis.call('PUBLISH', P .. 'signal', id)
end

-- A production becomes QUEUED, eligible at time `at` (ms).
local function defer(id, k, at)
  counter(P .. 'tenant:' .. redis.call('HGET', k, 'tenant') .. ':queued', 1)
  redis.call('ZADD', P .. 'delayed', at, id)
end

-- Makes up to `limit` retries whose backoff ended eligible; wakes dispatchers when there were any.
local function promote(limit)
  local due = redis.call('ZRANGEBYSCORE', P .. 'delayed', '-inf', NOW, 'LIMIT', 0, limit)
  for _, id in ipairs(due) do
    redis.call('ZREM', P .. 'delayed', id)
    local k = pkey(id)
    if redis.call('HGET', k, 'state') == 'QUEUED' then place(id, k) end
  end
  if #due > 0 then redis.call('PUBLISH', P .. 'signal', '') end
  return #due
end

-- Takes a QUEUED production out of whichever queue holds it; false when a dispatch claimed it first.
local function unqueue(id, k)
  local f = redis.call('HMGET', k, 'tenant', 'class')
  local removed = redis.call('ZREM', P .. 'delayed', id) + redis.call('ZREM', qkey(f[2] or '0', f[1]), id)
  if removed == 0 then return false end
  counter(P .. 'tenant:' .. f[1] .. ':queued', -1)
  refresh(f[1], f[2] or '0')
  return true
end

-- A production leaves RUNNING: its lease and its tenant's running slot are released, and a tenant
-- held at its cap gets back into the ready sets. False when another script released it first.
local function release(id, k, tenant)
  if redis.call('ZREM', P .. 'leases', id) == 0 then return false end
  tenant = tenant or redis.call('HGET', k, 'tenant')
  local running = math.max(0, counter(P .. 'tenant:' .. tenant .. ':running', -1))
  redis.call('SREM', P .. 'capped', tenant)
  refresh_tenant(tenant, running, false)
  return true
end

-- Tells the coordinator holding a node's stream to stop one of its assignments.
local function control(node, id, token, reason)
  redis.call('PUBLISH', P .. 'control', cjson.encode({node = node, id = id, token = token, reason = reason}))
end

-- A chunked production holds its tenant's running slot while its parts run (caps count it once),
-- outside the lease set; the field 'slot' marks it held. False when another script released it first.
local function release_slot(k, tenant)
  if redis.call('HDEL', k, 'slot') == 0 then return false end
  local running = math.max(0, counter(P .. 'tenant:' .. tenant .. ':running', -1))
  redis.call('SREM', P .. 'capped', tenant)
  refresh_tenant(tenant, running, false)
  return true
end

local withdraw

-- Stops every part of a chunked production still queued or running (their nodes are told why).
local function withdraw_parts(k, reason)
  local f = redis.call('HMGET', k, 'parts', 'join')
  local ids = cjson.decode(f[1] or '[]')
  if f[2] then table.insert(ids, f[2]) end
  for _, pid in ipairs(ids) do
    local pk = pkey(pid)
    local r = redis.call('HMGET', pk, 'state', 'node', 'token')
    if r[1] and withdraw(pid, pk, r[1], r[2], r[3], reason) then
      redis.call('HSET', pk, 'state', 'CANCELLED', 'ended', NOW, 'stage', 'cancelled', 'token', 0)
    end
  end
end

-- Takes a production out of the queue, or off its node (which is told why), or a chunked one's
-- parts off theirs; false when it was final.
withdraw = function(id, k, state, node, token, reason)
  if state == 'QUEUED' then
    return unqueue(id, k)
  elseif state == 'RUNNING' then
    local f = redis.call('HMGET', k, 'parts', 'tenant')
    if f[1] then
      if not release_slot(k, f[2]) then return false end
      withdraw_parts(k, reason)
      return true
    end
    if not release(id, k) then return false end
    control(node, id, token, reason)
    return true
  end
  return false
end

-- Writes a new QUEUED job's record and queues it (its tenant's queued count is the caller's);
-- returns the record's fields. f: tenant, rank, spec, max (attempts), class, score, stage, hook,
-- kind, job; extra: more field/value pairs.
local function add_job(id, f, extra)
  local k = pkey(id)
  local fields = {'id', id, 'tenant', f.tenant, 'state', 'QUEUED', 'rank', f.rank, 'spec', f.spec,
    'created', NOW, 'enqueued', NOW, 'attempts', 0, 'max_attempts', f.max, 'token', 0, 'progress', 0,
    'stage', f.stage, 'seq', 1, 'class', f.class, 'qscore', f.score, 'hook', f.hook, 'kind', f.kind, 'job', f.job}
  for _, v in ipairs(extra or {}) do table.insert(fields, v) end
  redis.call('HSET', k, unpack(fields))
  place(id, k, {tenant = f.tenant, class = f.class, score = f.score})
  redis.call('PUBLISH', P .. 'signal', id)
  emit(id, 'created', {state = 'QUEUED', progress = 0, stage = f.stage, hook = f.hook}, 1)
  return fields
end

-- Removes the records of a finished chunked production's parts (their pieces are the coordinator's to delete).
local function drop_parts(k)
  local f = redis.call('HMGET', k, 'parts', 'join')
  local ids = cjson.decode(f[1] or '[]')
  if f[2] then table.insert(ids, f[2]) end
  for _, pid in ipairs(ids) do
    redis.call('DEL', pkey(pid), P .. 'events:' .. pid)
    redis.call('ZREM', P .. 'outputs', pid)
  end
end

-- A chunked production after one of its parts changed. Its progress is the frames its chunks
-- rendered over all its frames; a part that ended without success fails it (the others are
-- stopped); when its chunks and sound all succeeded its join is queued; the join's success is
-- its success. Returns 'succeeded' or 'failed' when it ended now (its pieces are to be deleted),
-- 'joining' when the join was queued, else nil.
local function settle_parent(id)
  local k = pkey(id)
  local f = redis.call('HMGET', k, 'state', 'parts', 'tenant', 'join', 'progress')
  if f[1] ~= 'RUNNING' or not f[2] then return nil end
  local done, frames, total, failed = 0, 0, 0, nil
  local parts = cjson.decode(f[2])
  for _, pid in ipairs(parts) do
    local r = redis.call('HMGET', pkey(pid), 'state', 'progress', 'frames', 'error_code', 'error_message')
    local n = tonumber(r[3]) or 0
    total = total + n
    if r[1] == 'SUCCEEDED' then
      done = done + 1
      frames = frames + n
    elseif r[1] == 'QUEUED' or r[1] == 'RUNNING' then
      frames = frames + n * (tonumber(r[2]) or 0)
    else
      failed = failed or {r[4] or 'RENDER_FAILED', 'part ' .. pid .. ' ended ' .. (r[1] or 'missing') .. ': ' .. (r[5] or '')}
    end
  end
  local join = f[4] and redis.call('HMGET', pkey(f[4]), 'state', 'result', 'error_code', 'error_message', 'rendered_seconds', 'processing_ms')
  if join and join[1] ~= 'SUCCEEDED' and join[1] ~= 'QUEUED' and join[1] ~= 'RUNNING' then
    failed = {join[3] or 'RENDER_FAILED', 'the join ended ' .. (join[1] or 'missing') .. ': ' .. (join[4] or '')}
  end
  if failed then
    if not release_slot(k, f[3]) then return nil end
    withdraw_parts(k, 'CANCELLED')
    redis.call('HSET', k, 'state', 'FAILED', 'ended', NOW, 'stage', 'failed', 'token', 0, 'error_code', failed[1],
      'error_message', string.sub(failed[2], 1, 400))
    emit(id, 'state')
    drop_parts(k)
    return 'failed'
  end
  if join and join[1] == 'SUCCEEDED' then
    if not release_slot(k, f[3]) then return nil end
    redis.call('HSET', k, 'state', 'SUCCEEDED', 'result', join[2], 'ended', NOW, 'progress', 1, 'stage', 'done',
      'rendered_seconds', join[5] or 0, 'processing_ms', join[6] or 0, 'token', 0)
    emit(id, 'state')
    drop_parts(k)
    return 'succeeded'
  end
  local progress = total > 0 and frames / total or 0
  if not join and done == #parts then
    local jid = id .. '~join'
    local p = redis.call('HMGET', k, 'spec', 'rank', 'max_attempts', 'class', 'qscore', 'join_job')
    local account = redis.call('HGET', pkey(parts[1]), 'tenant')
    counter(P .. 'tenant:' .. account .. ':queued', 1)
    add_job(jid, {tenant = account, rank = p[2], spec = p[1], max = p[3], class = p[4] or '0', score = tonumber(p[5]),
      stage = 'queued', hook = '0', kind = 'JOIN', job = p[6]}, {'parent', id, 'frames', 0})
    redis.call('HSET', k, 'join', jid, 'stage', 'joining ' .. #parts - 1 .. ' chunks', 'progress', progress)
    emit(id, 'state')
    return 'joining'
  end
  if tostring(progress) ~= f[5] then
    redis.call('HSET', k, 'progress', progress)
    emit(id, 'progress')
  end
  return nil
end

-- After a failed attempt on `node`: FAILED as POISON_JOB once attempts failed on policy.poison
-- different nodes, FAILED with this attempt's reason once the attempts are spent, else QUEUED
-- again after a backoff of base × 2^(attempts-1), capped at max, spread by ±jitter.
-- policy: {base = ms, max = ms, jitter = fraction, r = random 0..1, poison = node count (0 = off)}
local function retry_or_fail(id, k, node, code, message, policy)
  local f = redis.call('HMGET', k, 'attempts', 'max_attempts', 'failed')
  local failed = cjson.decode(f[3] or '[]')
  local known = false
  for _, e in ipairs(failed) do
    if e[1] == node then e[2] = code; known = true end
  end
  if not known and node ~= '' then table.insert(failed, {node, code}) end
  redis.call('HSET', k, 'failed', cjson.encode(failed), 'error_code', code, 'error_message', message, 'token', 0, 'progress', 0)
  local attempts, budget = tonumber(f[1]), tonumber(f[2])
  if policy.poison > 0 and #failed >= policy.poison then
    local names = {}
    for _, e in ipairs(failed) do table.insert(names, e[1] .. ' (' .. e[2] .. ')') end
    redis.call('HSET', k, 'state', 'FAILED', 'ended', NOW, 'stage', 'failed', 'error_code', 'POISON_JOB',
      'error_message', 'failed on ' .. #failed .. ' different nodes: ' .. table.concat(names, ', ') ..
      '; last error ' .. code .. ': ' .. message)
  elseif attempts >= budget then
    redis.call('HSET', k, 'state', 'FAILED', 'ended', NOW, 'stage', 'failed')
  else
    local delay = math.min(policy.max, policy.base * 2 ^ (attempts - 1))
    delay = math.floor(delay * (1 + policy.jitter * (2 * policy.r - 1)))
    redis.call('HSET', k, 'state', 'QUEUED', 'stage', string.format('retrying in %.1fs after attempt %d of %d: %s: %s',
      delay / 1000, attempts, budget, code, string.sub(message, 1, 160)))
    defer(id, k, NOW + delay)
  end
end
