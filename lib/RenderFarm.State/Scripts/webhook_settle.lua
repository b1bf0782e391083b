-- Ends one claimed delivery: removes it and, for a retry, schedules its next attempt. Only the
-- first sender to settle a delivery reschedules it, so a duplicate claim never forks the retries.
-- ARGV: 3 delivery, 4 next attempt's delivery or '', 5 next attempt's due time ms
if redis.call('ZREM', P .. 'webhooks', ARGV[3]) == 0 then return 0 end
if ARGV[4] ~= '' then redis.call('ZADD', P .. 'webhooks', tonumber(ARGV[5]), ARGV[4]) end
return 1
