-- ARGV: 3 id, 4 tenant, 5 rank, 6 spec, 7 max attempts, 8 idempotency key or '', 9 request hash, 10 idempotency ttl s
if ARGV[8] ~= '' then
  local prior = redis.call('GET', ARGV[8])
  if prior then return {'existing', prior} end
end
local id = ARGV[3]
local k = pkey(id)
redis.call('HSET', k, 'id', id, 'tenant', ARGV[4], 'state', 'QUEUED', 'rank', ARGV[5], 'spec', ARGV[6],
  'created', NOW, 'enqueued', NOW, 'attempts', 0, 'max_attempts', ARGV[7], 'token', 0, 'progress', 0,
  'stage', 'queued', 'seq', 0)
redis.call('ZADD', P .. 'tenant:' .. ARGV[4] .. ':prods', NOW, id)
if ARGV[8] ~= '' then redis.call('SET', ARGV[8], id .. '|' .. ARGV[9], 'EX', tonumber(ARGV[10])) end
enqueue(id, k)
emit(id, 'created')
return {'created', id}
