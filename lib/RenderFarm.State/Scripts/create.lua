-- ARGV: 3 id, 4 tenant, 5 rank, 6 spec, 7 max attempts, 8 idempotency key or '', 9 request hash, 10 idempotency ttl s,
--       11 aging step ms (queue score = now + rank × step), 12 placement class id ('0' = none), 13 its JSON,
--       14 stage, 15 most queued productions of the tenant (0 = no limit), 16 most running (0 = no cap)
if ARGV[8] ~= '' then
  local prior = redis.call('GET', ARGV[8])
  if prior then return {'existing', prior} end
end
local id = ARGV[3]
local tenant = ARGV[4]
local maxQueued = tonumber(ARGV[15])
if maxQueued > 0 then
  local queued = tonumber(redis.call('GET', P .. 'tenant:' .. tenant .. ':queued') or '0')
  if queued >= maxQueued then return {'queue_full', tostring(queued)} end
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
local k = pkey(id)
redis.call('HSET', k, 'id', id, 'tenant', tenant, 'state', 'QUEUED', 'rank', ARGV[5], 'spec', ARGV[6],
  'created', NOW, 'enqueued', NOW, 'attempts', 0, 'max_attempts', ARGV[7], 'token', 0, 'progress', 0,
  'stage', stage, 'seq', 0, 'class', class, 'qscore', NOW + tonumber(ARGV[5]) * tonumber(ARGV[11]))
redis.call('ZADD', P .. 'tenant:' .. tenant .. ':prods', NOW, id)
if ARGV[8] ~= '' then redis.call('SET', ARGV[8], id .. '|' .. ARGV[9], 'EX', tonumber(ARGV[10])) end
enqueue(id, k)
emit(id, 'created')
return {'created', id}
