-- Reserves the seconds a production will render, before it is queued: against the tenant's
-- monthly quota and the key's monthly spend cap, both checked and charged atomically. A key's
-- `spent` counts the month in `spent_period`; a charge in a later month starts it again at 0.
-- ARGV: 3 tenant, 4 period (yyyymm), 5 seconds, 6 monthly limit (0 = none), 7 key id ('' = no key record),
--       8 period ttl s
-- Returns {'OK'}, {'QUOTA_EXCEEDED', used}, or {'SPEND_CAP_EXCEEDED', spent, limit}.
local uk = P .. 'usage:' .. ARGV[3] .. ':' .. ARGV[4]
local seconds = tonumber(ARGV[5])
local used = tonumber(redis.call('HGET', uk, 'seconds')) or 0
local limit = tonumber(ARGV[6])
if limit > 0 and used + seconds > limit + 1e-9 then return {'QUOTA_EXCEEDED', tostring(used)} end
local kk = P .. 'apikey:' .. ARGV[7]
if ARGV[7] ~= '' then
  local f = redis.call('HMGET', kk, 'spent', 'spend_limit', 'spent_period')
  local spent = f[3] == ARGV[4] and tonumber(f[1]) or 0
  local cap = tonumber(f[2]) or 0
  if cap > 0 and spent + seconds > cap + 1e-9 then return {'SPEND_CAP_EXCEEDED', tostring(spent), tostring(cap)} end
  if f[2] then redis.call('HSET', kk, 'spent', tostring(spent + seconds), 'spent_period', ARGV[4]) end
end
redis.call('HSET', uk, 'seconds', tostring(used + seconds))
redis.call('EXPIRE', uk, tonumber(ARGV[8]))
return {'OK'}
