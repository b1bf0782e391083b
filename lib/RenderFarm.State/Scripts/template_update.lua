-- Replaces a template's content if its revision is still the one the caller read. Of updates
-- racing from one revision, the one whose HSETNX of that revision's claim field answers 1 wins;
-- the others change nothing, so the winner's new revision stays current. A template deleted
-- meanwhile stays deleted: the index entry is checked again after the write.
-- ARGV: 3 id, 4 tenant, 5 template bytes, 6 revision read
-- Returns the new revision, -1 when the tenant has no such template, -2 when it changed since it was read.
local k = P .. 'template:' .. ARGV[3]
local idx = P .. 'tenant:' .. ARGV[4] .. ':templates'
local expected = tonumber(ARGV[6])
-- The index entry proves the template is the tenant's; ids are unique across tenants.
if not redis.call('ZSCORE', idx, ARGV[3]) then return -1 end
if tonumber(redis.call('HGET', k, 'rev')) ~= expected then return -2 end
local won = redis.call('HSETNX', k, 'claim:' .. expected, 1) == 1 and tonumber(redis.call('HGET', k, 'rev')) == expected
if won then
  redis.call('HSET', k, 'template', ARGV[5], 'rev', expected + 1)
  redis.call('HDEL', k, 'claim:' .. (expected - 1))
end
if not redis.call('ZSCORE', idx, ARGV[3]) then
  -- Deleted meanwhile: whatever this script wrote goes too.
  redis.call('DEL', k)
  return -1
end
if not won then return -2 end
return expected + 1
