-- Requeues (or fails, past the attempt budget) productions whose lease expired.
-- ARGV: 3 most leases to reap
local expired = redis.call('ZRANGEBYSCORE', P .. 'leases', '-inf', NOW, 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, id in ipairs(expired) do
  local k = pkey(id)
  local f = redis.call('HMGET', k, 'state', 'node', 'token', 'attempts', 'max_attempts')
  if f[1] == 'RUNNING' then
    release(id, k)
    local node = f[2] or ''
    if tonumber(f[4]) >= tonumber(f[5]) then
      redis.call('HSET', k, 'state', 'FAILED', 'error_code', 'LEASE_EXPIRED', 'error_message',
        'the lease of attempt ' .. f[4] .. ' on node ' .. node .. ' expired; no attempts left', 'ended', NOW,
        'stage', 'failed', 'token', 0)
    else
      redis.call('HSET', k, 'state', 'QUEUED', 'token', 0, 'progress', 0,
        'stage', 'requeued: lease on node ' .. node .. ' expired')
      enqueue(id, k)
    end
    emit(id, 'state')
    control(node, id, f[3], 'LEASE_EXPIRED')
    table.insert(out, id)
  else
    redis.call('ZREM', P .. 'leases', id)
  end
end
return out
