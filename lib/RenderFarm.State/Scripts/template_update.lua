-- Replaces a template's content if its revision is still the one the caller read. The revision
-- is claimed with one HINCRBY, whose answer says who won when two updates race. A template
-- deleted meanwhile stays deleted: its index entry is checked again after the write.
-- ARGV: 3 id, 4 tenant, 5 template bytes, 6 revision read
-- Returns the new revision, -1 when the tenant has no such template, -2 when it changed since it was read.
local k = P .. 'template:' .. ARGV[3]
local idx = P .. 'tenant:' .. ARGV[4] .. ':templates'
if not redis.call('ZSCORE', idx, ARGV[3]) then return -1 end
local rev = redis.call('HINCRBY', k, 'rev', 1)
local won = rev == tonumber(ARGV[6]) + 1
if won then redis.call('HSET', k, 'template', ARGV[5]) end
if not redis.call('ZSCORE', idx, ARGV[3]) then
  redis.call('DEL', k)
  return -1
end
if not won then return -2 end
return rev
