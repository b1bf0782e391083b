-- The record of the key whose raw value hashes to ARGV[3], or nil. Revoked keys are found too (and refused by the caller).
local id = redis.call('GET', P .. 'apikey-hash:' .. ARGV[3])
if not id then return nil end
return redis.call('HGETALL', P .. 'apikey:' .. id)
