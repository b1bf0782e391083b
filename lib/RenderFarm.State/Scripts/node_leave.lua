-- Removes a node's record when the stream that wrote it ends, unless a newer stream (on this or
-- another coordinator) has replaced it meanwhile.
-- ARGV: 3 node id, 4 session id
local k = P .. 'node:' .. ARGV[3]
if redis.call('HGET', k, 'session') ~= ARGV[4] then return 0 end
redis.call('DEL', k)
redis.call('ZREM', P .. 'nodes', ARGV[3])
return 1
