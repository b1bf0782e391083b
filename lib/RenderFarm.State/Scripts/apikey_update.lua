-- Changes a key's display name, spend limit and/or rate limits; returns its record, or nil when there is no such key.
-- ARGV: 3 id, 4 '1' to set the display name, 5 display name, 6 '1' to set the spend limit, 7 spend limit seconds,
--       then pairs (record field of a rate limit, value; '' removes it: the tenant's applies again)
local k = P .. 'apikey:' .. ARGV[3]
if redis.call('EXISTS', k) == 0 then return nil end
if ARGV[4] == '1' then redis.call('HSET', k, 'display_name', ARGV[5]) end
if ARGV[6] == '1' then redis.call('HSET', k, 'spend_limit', ARGV[7]) end
for i = 8, #ARGV - 1, 2 do
  if ARGV[i + 1] == '' then redis.call('HDEL', k, ARGV[i]) else redis.call('HSET', k, ARGV[i], ARGV[i + 1]) end
end
return redis.call('HGETALL', k)
