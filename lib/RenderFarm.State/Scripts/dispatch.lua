-- Pops the next queued production into a lease for a node.
-- ARGV: 3 node id, 4 lease ttl ms, 5 most entries to skip (cancelled or deleted ones)
for _ = 1, tonumber(ARGV[5]) do
  local popped = redis.call('ZPOPMIN', P .. 'queue')
  if #popped == 0 then return false end
  local id = popped[1]
  local k = pkey(id)
  if redis.call('HGET', k, 'state') == 'QUEUED' then
    local token = redis.call('INCR', P .. 'fence')
    local attempt = redis.call('HINCRBY', k, 'attempts', 1)
    redis.call('HSET', k, 'state', 'RUNNING', 'token', token, 'node', ARGV[3], 'started', NOW, 'progress', 0,
      'stage', 'assigned to ' .. ARGV[3])
    redis.call('ZADD', P .. 'leases', NOW + tonumber(ARGV[4]), id)
    redis.call('INCR', P .. 'tenant:' .. redis.call('HGET', k, 'tenant') .. ':running')
    emit(id, 'state')
    return {id, token, attempt, redis.call('HGET', k, 'spec')}
  end
end
return false
