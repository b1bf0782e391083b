-- Records one measured render: processing seconds per cost unit, keeping the latest samples.
-- ARGV: 3 seconds per unit, 4 samples kept
local k = P .. 'calibration'
redis.call('LPUSH', k, ARGV[3])
redis.call('LTRIM', k, 0, tonumber(ARGV[4]) - 1)
return redis.call('INCR', P .. 'calibration:count')
