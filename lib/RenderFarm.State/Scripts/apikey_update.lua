-- Changes a key's display name and/or spend limit; returns its record, or nil when there is no such key.
-- ARGV: 3 id, 4 '1' to set the display name, 5 display name, 6 '1' to set the spend limit, 7 spend limit seconds
local k = P .. 'apikey:' .. ARGV[3]
if redis.call('EXISTS', k) == 0 then return nil end
if ARGV[4] == '1' then redis.call('HSET', k, 'display_name', ARGV[5]) end
if ARGV[6] == '1' then redis.call('HSET', k, 'spend_limit', ARGV[7]) end
return redis.call('HGETALL', k)
