-- Records what a coordinator knows of a node it holds; the record lapses unless renewed.
-- ARGV: 3 node id, 4 session id, 5 coordinator id, 6 hello bytes, 7 connected ms, 8 draining 0|1,
--       9 leases "id:token,…", 10 record ttl ms
local k = P .. 'node:' .. ARGV[3]
redis.call('HSET', k, 'session', ARGV[4], 'coordinator', ARGV[5], 'hello', ARGV[6], 'connected', ARGV[7],
  'draining', ARGV[8], 'leases', ARGV[9], 'heartbeat', NOW)
redis.call('PEXPIRE', k, tonumber(ARGV[10]))
redis.call('ZADD', P .. 'nodes', NOW, ARGV[3])
return 1
