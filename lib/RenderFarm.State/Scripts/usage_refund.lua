-- Gives back a reservation made by usage_reserve.lua. With a production id (ARGV[3]) the charge
-- recorded for it is refunded once and forgotten; without one, ARGV 4..7 name the charge.
-- ARGV: 3 production id or '', 4 tenant, 5 period, 6 seconds, 7 key id
local tenant, period, seconds, key = ARGV[4], ARGV[5], tonumber(ARGV[6]), ARGV[7]
if ARGV[3] ~= '' then
  local ck = P .. 'charge:' .. ARGV[3]
  local c = redis.call('HMGET', ck, 'tenant', 'period', 'seconds', 'key')
  if not c[1] then return 0 end
  redis.call('DEL', ck)
  tenant, period, seconds, key = c[1], c[2], tonumber(c[3]), c[4]
end
local uk = P .. 'usage:' .. tenant .. ':' .. period
local used = tonumber(redis.call('HGET', uk, 'seconds'))
if used then redis.call('HSET', uk, 'seconds', tostring(math.max(0, used - seconds))) end
-- A key's spend is refunded only within the month it was charged in (a new month started at 0).
local kk = P .. 'apikey:' .. key
local f = key ~= '' and redis.call('HMGET', kk, 'spent', 'spent_period') or {}
local spent = f[2] == period and tonumber(f[1])
if spent then redis.call('HSET', kk, 'spent', tostring(math.max(0, spent - seconds))) end
return 1
