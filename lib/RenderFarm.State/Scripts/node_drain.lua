-- Asks for a node to drain: the request is kept on the node's record, so the coordinator holding
-- the node applies it at the next record even when the control message is lost (Redis restarted,
-- the node moved to another coordinator meanwhile). The record, and the request with it, ends
-- when the node's last stream does.
-- ARGV: 3 node id, 4 drain timeout ms (0 = the node's own), 5 control message (JSON)
local k = P .. 'node:' .. ARGV[3]
if redis.call('EXISTS', k) == 0 then return 0 end
redis.call('HSET', k, 'drain', ARGV[4], 'draining', 1)
redis.call('PUBLISH', P .. 'control', ARGV[5])
return 1
