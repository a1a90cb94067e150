namespace Asya.Components.Redis;

/// <summary>
/// Lua scripts for the stream transport. Each runs atomically on the server, with the server's clock (TIME), so
/// leases and delays mean the same to every process. Keys of one queue: the stream itself, <c>&lt;queue&gt;:leases</c>
/// (sorted set: entry id → lease deadline, ms), <c>&lt;queue&gt;:delayed</c> (sorted set: token → due time, ms) and one
/// hash per delayed message, <c>&lt;queue&gt;:delayed:&lt;token&gt;</c>, holding the entry's fields until it is due.
/// </summary>
internal static class RedisStreamScripts
{
    /// <summary>Field carrying deliveries made before a nack re-added the entry, so the count survives the re-add.</summary>
    public const string PriorDeliveriesField = "priorDeliveries";

    public const string DataField = "data";

    public const string MetadataField = "metadata";

    private const string Common = """
        local function now_ms()
          local t = redis.call('TIME')
          return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end
        local function xadd(stream, maxlen, fields)
          if tonumber(maxlen) > 0 then
            return redis.call('XADD', stream, 'MAXLEN', '~', maxlen, '*', unpack(fields))
          end
          return redis.call('XADD', stream, '*', unpack(fields))
        end
        local function owner(stream, group, id)
          local p = redis.call('XPENDING', stream, group, id, id, 1)
          if #p == 0 then return nil end
          return p[1][2], p[1][4]
        end
        """;

    /// <summary>
    /// KEYS: stream, leases, delayed. ARGV: group, consumer, max count, lease ms, delayed-hash prefix, maxlen (0 = none),
    /// sweep min-idle ms (0 = no sweep). Moves due delayed messages into the stream, reclaims entries whose lease
    /// ran out, optionally claims foreign pending entries idle longer than the sweep time, then reads new entries.
    /// Returns a list of {id, fields, times delivered by this group}.
    /// </summary>
    public const string Receive = Common + """

        local stream, leases, delayed = KEYS[1], KEYS[2], KEYS[3]
        local group, consumer = ARGV[1], ARGV[2]
        local count, lease = tonumber(ARGV[3]), tonumber(ARGV[4])
        local prefix, maxlen, sweep = ARGV[5], ARGV[6], tonumber(ARGV[7])
        local now = now_ms()

        local due = redis.call('ZRANGEBYSCORE', delayed, '-inf', now, 'LIMIT', 0, 256)
        for _, token in ipairs(due) do
          local fields = redis.call('HGETALL', prefix .. token)
          if #fields > 0 then xadd(stream, maxlen, fields) end
          redis.call('DEL', prefix .. token)
          redis.call('ZREM', delayed, token)
        end

        -- Fails harmlessly (BUSYGROUP) when the group exists; created at 0 so earlier sends are delivered too.
        redis.pcall('XGROUP', 'CREATE', stream, group, '0', 'MKSTREAM')

        local out = {}
        local function claim(id, min_idle)
          local claimed = redis.call('XCLAIM', stream, group, consumer, min_idle, id)
          local entry = claimed[1]
          if type(entry) == 'table' and type(entry[2]) == 'table' then
            local _, times = owner(stream, group, id)
            redis.call('ZADD', leases, now + lease, id)
            out[#out + 1] = { entry[1], entry[2], times or 1 }
          else
            -- Acked meanwhile, or the entry was trimmed away: nothing left to deliver.
            redis.call('XACK', stream, group, id)
            redis.call('ZREM', leases, id)
          end
        end

        local expired = redis.call('ZRANGEBYSCORE', leases, '-inf', now, 'LIMIT', 0, count)
        for _, id in ipairs(expired) do claim(id, 0) end

        if sweep > 0 and #out < count then
          local stale = redis.call('XPENDING', stream, group, 'IDLE', sweep, '-', '+', count - #out)
          for _, p in ipairs(stale) do
            if not redis.call('ZSCORE', leases, p[1]) then claim(p[1], sweep) end
          end
        end

        if #out < count then
          local read = redis.call('XREADGROUP', 'GROUP', group, consumer, 'COUNT', count - #out, 'STREAMS', stream, '>')
          if read then
            for _, entry in ipairs(read[1][2]) do
              redis.call('ZADD', leases, now + lease, entry[1])
              out[#out + 1] = { entry[1], entry[2], 1 }
            end
          end
        end
        return out
        """;

    /// <summary>KEYS: stream, leases. ARGV: group, consumer, id, times delivered when received. 1 = acked, 0 = not pending, -1 = another consumer (or a later delivery) holds it.</summary>
    public const string Ack = Common + """

        local stream, leases = KEYS[1], KEYS[2]
        local group, consumer, id = ARGV[1], ARGV[2], ARGV[3]
        local holder, times = owner(stream, group, id)
        if holder == nil then return 0 end
        if holder ~= consumer or tonumber(times) ~= tonumber(ARGV[4]) then return -1 end
        redis.call('XACK', stream, group, id)
        redis.call('XDEL', stream, id)
        redis.call('ZREM', leases, id)
        return 1
        """;

    /// <summary>
    /// KEYS: stream, leases, delayed. ARGV: group, consumer, id, deliveries so far, delay ms, delayed-hash prefix,
    /// token, maxlen, times delivered when received. Re-adds the entry's fields (now or via the delay set) with the delivery count, then acks and
    /// deletes the old entry. Results as for <see cref="Ack"/>.
    /// </summary>
    public const string Nack = Common + """

        local stream, leases, delayed = KEYS[1], KEYS[2], KEYS[3]
        local group, consumer, id = ARGV[1], ARGV[2], ARGV[3]
        local deliveries, delay, prefix, token, maxlen = ARGV[4], tonumber(ARGV[5]), ARGV[6], ARGV[7], ARGV[8]
        local holder, times = owner(stream, group, id)
        if holder == nil then return 0 end
        if holder ~= consumer or tonumber(times) ~= tonumber(ARGV[9]) then return -1 end
        local entry = redis.call('XRANGE', stream, id, id)
        redis.call('XACK', stream, group, id)
        redis.call('XDEL', stream, id)
        redis.call('ZREM', leases, id)
        if #entry == 0 then return 0 end
        local fields = {}
        local old = entry[1][2]
        for i = 1, #old, 2 do
          if old[i] ~= 'priorDeliveries' then
            fields[#fields + 1] = old[i]
            fields[#fields + 1] = old[i + 1]
          end
        end
        fields[#fields + 1] = 'priorDeliveries'
        fields[#fields + 1] = deliveries
        if delay > 0 then
          redis.call('HSET', prefix .. token, unpack(fields))
          redis.call('ZADD', delayed, now_ms() + delay, token)
        else
          xadd(stream, maxlen, fields)
        end
        return 1
        """;

    /// <summary>KEYS: stream, leases. ARGV: group, consumer, id, extension ms, times delivered when received. Results as for <see cref="Ack"/>.</summary>
    public const string Extend = Common + """

        local stream, leases = KEYS[1], KEYS[2]
        local group, consumer, id, extension = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
        local holder, times = owner(stream, group, id)
        if holder == nil then return 0 end
        if holder ~= consumer or tonumber(times) ~= tonumber(ARGV[5]) then return -1 end
        redis.call('ZADD', leases, now_ms() + extension, id)
        -- JUSTID resets the idle time without counting a delivery.
        redis.call('XCLAIM', stream, group, consumer, 0, id, 'JUSTID')
        return 1
        """;

    /// <summary>KEYS: delayed set, the message's hash. ARGV: token, delay ms, then field/value pairs.</summary>
    public const string SendDelayed = Common + """

        local fields = {}
        for i = 3, #ARGV do fields[#fields + 1] = ARGV[i] end
        redis.call('HSET', KEYS[2], unpack(fields))
        redis.call('ZADD', KEYS[1], now_ms() + tonumber(ARGV[2]), ARGV[1])
        return 1
        """;

    /// <summary>
    /// KEYS: stream, delayed. ARGV: group. Returns {ready, in flight, delayed}: ready is the group's lag, bounded by the
    /// entries not pending (acked entries are deleted, so the stream holds only waiting and pending ones), plus the
    /// delayed messages already due: those move into the stream only when a consumer polls, and a queue scaled to
    /// zero has none, so counting them as delayed would keep it at zero forever. Delayed counts the ones not yet due.
    /// </summary>
    public const string Depth = Common + """

        local stream, delayed, group = KEYS[1], KEYS[2], ARGV[1]
        local due = redis.call('ZCOUNT', delayed, '-inf', now_ms())
        local waiting = redis.call('ZCARD', delayed) - due
        if redis.call('EXISTS', stream) == 0 then return { due, 0, waiting } end
        local length = redis.call('XLEN', stream)
        for _, g in ipairs(redis.call('XINFO', 'GROUPS', stream)) do
          local info = {}
          for i = 1, #g, 2 do info[g[i]] = g[i + 1] end
          if info['name'] == group then
            local pending = tonumber(info['pending'])
            local ready = length - pending
            local lag = info['lag']
            if type(lag) == 'number' and lag < ready then ready = lag end
            if ready < 0 then ready = 0 end
            return { ready + due, pending, waiting }
          end
        end
        return { length + due, 0, waiting }
        """;

    /// <summary>KEYS: stream. ARGV: group. Creates the group (and the stream) unless it exists.</summary>
    public const string Ensure = """
        redis.pcall('XGROUP', 'CREATE', KEYS[1], ARGV[1], '0', 'MKSTREAM')
        return 1
        """;

    /// <summary>
    /// KEYS: stream. ARGV: group, consumer. Removes the consumer from the group when it holds nothing, so short-lived
    /// instances do not pile up in XINFO CONSUMERS; a consumer with pending entries stays, or they would be lost.
    /// </summary>
    public const string Release = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        local ok, held = pcall(redis.call, 'XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2])
        if not ok or #held > 0 then return 0 end
        return redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
        """;

    /// <summary>KEYS: stream, leases, delayed. ARGV: delayed-hash prefix. Removes the queue and everything it holds.</summary>
    public const string Delete = """
        for _, token in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do
          redis.call('DEL', ARGV[1] .. token)
        end
        return redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
        """;
}
