-- Requeues after a backoff (or fails: poison, attempts spent) productions whose lease expired, and
-- makes retries whose backoff ended eligible.
-- ARGV: 3 most leases to reap, 4 retry policy (JSON, see retry_or_fail)
-- Returns {id, state after, error code, parent id ('' when none), what became of the parent ('' when
-- nothing, see settle_parent)} per production reaped.
promote(tonumber(ARGV[3]))
local policy = cjson.decode(ARGV[4])
local expired = redis.call('ZRANGEBYSCORE', P .. 'leases', '-inf', NOW, 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, id in ipairs(expired) do
  local k = pkey(id)
  local f = redis.call('HMGET', k, 'state', 'node', 'token', 'attempts', 'parent')
  if f[1] == 'RUNNING' and release(id, k) then
    local node = f[2] or ''
    retry_or_fail(id, k, node, 'LEASE_EXPIRED', 'the lease of attempt ' .. f[4] .. ' on node ' .. node .. ' expired', policy)
    emit(id, 'state')
    control(node, id, f[3], 'LEASE_EXPIRED')
    local after = redis.call('HMGET', k, 'state', 'error_code')
    local parent = f[5] or ''
    table.insert(out, {id, after[1], after[2] or '', parent, parent ~= '' and settle_parent(parent) or ''})
  else
    redis.call('ZREM', P .. 'leases', id)
  end
end
return out
