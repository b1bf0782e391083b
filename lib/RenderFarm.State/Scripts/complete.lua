-- Records the outcome of a lease, only if the lease still holds (fencing).
-- ARGV: 3 id, 4 token, 5 outcome succeeded|failed|retry|declined, 6 result bytes, 7 error code, 8 error message,
--       9 rendered seconds, 10 processing ms, 11 retry policy (JSON, see retry_or_fail)
-- Returns {1, state, error code ('' when none), parent id ('' when none), what became of the parent
-- (see settle_parent; '' when nothing)} or {0, why not}.
local id = ARGV[3]
local k = pkey(id)
local f = redis.call('HMGET', k, 'state', 'token', 'node', 'tenant', 'hook', 'class', 'qscore', 'parent')
if not f[1] then return {0, 'NOT_FOUND'} end
if f[1] ~= 'RUNNING' then return {0, 'NOT_RUNNING'} end
if f[2] ~= ARGV[4] or not release(id, k, f[4]) then return {0, 'STALE_LEASE'} end
local outcome = ARGV[5]
local known
if outcome == 'succeeded' then
  redis.call('HSET', k, 'state', 'SUCCEEDED', 'result', ARGV[6], 'ended', NOW, 'progress', 1, 'stage', 'done',
    'rendered_seconds', ARGV[9], 'processing_ms', ARGV[10], 'token', 0)
  known = {state = 'SUCCEEDED', progress = 1, stage = 'done', hook = f[5]}
elseif outcome == 'declined' then
  -- The node never started it: back in the queue at once, and the attempt does not count.
  local stage = 'requeued: declined (' .. ARGV[7] .. ')'
  redis.call('HINCRBY', k, 'attempts', -1)
  redis.call('HSET', k, 'state', 'QUEUED', 'token', 0, 'progress', 0, 'stage', stage)
  enqueue(id, k, {tenant = f[4], class = f[6] or '0', score = tonumber(f[7])})
  known = {state = 'QUEUED', progress = 0, stage = stage, hook = f[5]}
elseif outcome == 'failed' then
  redis.call('HSET', k, 'state', 'FAILED', 'error_code', ARGV[7], 'error_message', ARGV[8], 'ended', NOW,
    'stage', 'failed', 'token', 0)
else
  retry_or_fail(id, k, f[3] or '', ARGV[7], ARGV[8], cjson.decode(ARGV[11]))
end
emit(id, 'state', known)
local parent = f[8] or ''
local settled = parent ~= '' and settle_parent(parent) or ''
if known then return {1, known.state, '', parent, settled} end
local r = redis.call('HMGET', k, 'state', 'error_code')
return {1, r[1], r[2] or '', parent, settled}
