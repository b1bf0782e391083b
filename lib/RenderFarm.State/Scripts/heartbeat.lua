-- Renews a node's leases; returns the (id, token) pairs that are no longer the node's.
-- ARGV: 3 node id, 4 lease ttl ms, 5.. id, token pairs
local stale = {}
for i = 5, #ARGV, 2 do
  local id = ARGV[i]
  local f = redis.call('HMGET', pkey(id), 'state', 'token', 'node')
  if f[1] == 'RUNNING' and f[2] == ARGV[i + 1] and f[3] == ARGV[3] then
    redis.call('ZADD', P .. 'leases', 'XX', NOW + tonumber(ARGV[4]), id)
  else
    table.insert(stale, id)
    table.insert(stale, ARGV[i + 1])
  end
end
redis.call('ZADD', P .. 'nodes', NOW, ARGV[3])
return stale
