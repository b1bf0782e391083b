-- Marks a production's output expired (its objects were deleted by the retention sweep).
-- ARGV: 3 id
local k = pkey(ARGV[3])
redis.call('ZREM', P .. 'outputs', ARGV[3])
if redis.call('HGET', k, 'state') == 'SUCCEEDED' then
  redis.call('HSET', k, 'result_expired', NOW)
  redis.call('PUBLISH', P .. 'productions:finished-changed', ARGV[3])
  return 1
end
return 0
