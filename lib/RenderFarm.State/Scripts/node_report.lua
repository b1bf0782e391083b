-- Records what a coordinator knows of a node it holds; the record lapses unless renewed. Returns
-- the drain an operator asked for (its timeout ms, 0 = the node's own), or nil.
-- ARGV: 3 node id, 4 session id, 5 coordinator id, 6 hello bytes, 7 connected ms, 8 draining 0|1,
--       9 leases "id:token,…", 10 record ttl ms
local k = P .. 'node:' .. ARGV[3]
local drain = redis.call('HGET', k, 'drain')
redis.call('HSET', k, 'session', ARGV[4], 'coordinator', ARGV[5], 'hello', ARGV[6], 'connected', ARGV[7],
  'draining', drain and 1 or ARGV[8], 'leases', ARGV[9], 'heartbeat', NOW)
redis.call('PEXPIRE', k, tonumber(ARGV[10]))
redis.call('ZADD', P .. 'nodes', NOW, ARGV[3])
return drain
