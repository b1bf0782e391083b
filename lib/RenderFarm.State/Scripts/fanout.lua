-- Splits a leased production into parts (chunks and its sound), each a job of its own with its
-- own lease when dispatched, only if the lease still holds. The production keeps its tenant's
-- running slot (so caps count it once) but leaves the lease set: its parts hold the leases now.
-- ARGV: 3 id, 4 token, 5 suffix of the parts' account (after the tenant's), 6 stage, 7 join job spec (JobSpec bytes),
--       8.. four per part: id, job kind, job spec (JobSpec bytes), frames
-- Returns 1, or 0 when the lease no longer holds.
local id = ARGV[3]
local k = pkey(id)
local f = redis.call('HMGET', k, 'state', 'token', 'spec', 'rank', 'max_attempts', 'class', 'qscore', 'tenant')
if f[1] ~= 'RUNNING' or f[2] ~= ARGV[4] or redis.call('ZREM', P .. 'leases', id) == 0 then return 0 end
local account = f[8] .. ARGV[5]
local parts = {}
for i = 8, #ARGV, 4 do
  table.insert(parts, ARGV[i])
  counter(P .. 'tenant:' .. account .. ':queued', 1)
  add_job(ARGV[i], {tenant = account, rank = f[4], spec = f[3], max = f[5], class = f[6] or '0', score = tonumber(f[7]),
    stage = 'queued', hook = '0', kind = ARGV[i + 1], job = ARGV[i + 2]}, {'parent', id, 'frames', ARGV[i + 3]})
end
redis.call('HSET', k, 'parts', cjson.encode(parts), 'join_job', ARGV[7], 'slot', 1, 'node', '', 'stage', ARGV[6])
emit(id, 'state')
return 1
