-- Claims due webhook deliveries for one sender: each is hidden for a visibility timeout, after
-- which it is due again (a sender that died mid-delivery is retried by another).
-- ARGV: 3 most deliveries, 4 visibility ms
local due = redis.call('ZRANGEBYSCORE', P .. 'webhooks', '-inf', NOW, 'LIMIT', 0, tonumber(ARGV[3]))
for _, m in ipairs(due) do
  redis.call('ZADD', P .. 'webhooks', 'XX', NOW + tonumber(ARGV[4]), m)
end
return due
