-- ARGV: 3 id, 4 tenant, 5 rank, 6 spec, 7 max attempts, 8 idempotency key or '', 9 request hash, 10 idempotency ttl s,
--       11 aging step ms (queue score = now + rank × step), 12 placement class id ('0' = none), 13 its JSON,
--       14 stage, 15 most queued productions of the tenant (0 = no limit), 16 most running (0 = no cap),
--       17 whether a webhook applies ('1') or not ('0'), 18 job kind ('RENDER', 'PREVIEW'), 19 job spec (JobSpec bytes)
-- Returns {'created', id, fields of the new record} | {'existing', 'id|hash'} | {'queue_full', queued}.
if ARGV[8] ~= '' then
  local prior = redis.call('GET', ARGV[8])
  if prior then return {'existing', prior} end
end
local id = ARGV[3]
local tenant = ARGV[4]
-- The count is taken first and given back when over the limit: one command on the way in.
local qk = P .. 'tenant:' .. tenant .. ':queued'
local queued = tonumber(redis.call('INCRBY', qk, 1))
local maxQueued = tonumber(ARGV[15])
if maxQueued > 0 and queued > maxQueued then
  counter(qk, -1)
  return {'queue_full', tostring(queued - 1)}
end
local class = ARGV[12]
if class ~= '0' then redis.call('HSETNX', P .. 'classes', class, ARGV[13]) end
local stage = ARGV[14]
local maxRunning = tonumber(ARGV[16])
if maxRunning > 0 then
  local running = running_of(tenant)
  if running >= maxRunning then
    stage = string.format('waiting for a slot: tenant %s runs %d of %d', tenant, running, maxRunning)
  end
end
local score = NOW + tonumber(ARGV[5]) * tonumber(ARGV[11])
local fields = add_job(id, {tenant = tenant, rank = ARGV[5], spec = ARGV[6], max = ARGV[7], class = class, score = score,
  stage = stage, hook = ARGV[17], kind = ARGV[18], job = ARGV[19]})
-- Only renders are the tenant's productions to list; other kinds are seen through what made them.
if ARGV[18] == 'RENDER' then redis.call('ZADD', P .. 'tenant:' .. tenant .. ':prods', NOW, id) end
if ARGV[8] ~= '' then redis.call('SET', ARGV[8], id .. '|' .. ARGV[9], 'EX', tonumber(ARGV[10])) end
-- The caller gets the record it would otherwise read back in a second round trip.
return {'created', id, fields}
