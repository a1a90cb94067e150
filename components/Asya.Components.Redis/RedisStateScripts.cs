namespace Asya.Components.Redis;

/// <summary>
/// Lua scripts for <c>state.redis</c>, on Dapr's layout: a hash per key with <c>data</c> (the bytes) and
/// <c>version</c> (an integer bumped on every write, which is the ETag). A conditional write or delete checks the
/// version and changes the key in one atomic step; -1 means the ETag (or first-write) condition failed.
/// </summary>
internal static class RedisStateScripts
{
    /// <summary>KEYS: key. Returns {data, version, pttl ms} or nil when the key is missing.</summary>
    public const string Get = """
        local found = redis.call('HMGET', KEYS[1], 'data', 'version')
        if not found[2] then return nil end
        return { found[1] or '', found[2], redis.call('PTTL', KEYS[1]) }
        """;

    /// <summary>
    /// KEYS: key. ARGV: ETag ('' = none), first-write ('1'/'0'), data, TTL ms (0 = none: any expiry is removed).
    /// Returns the new version, or -1 on a failed condition.
    /// </summary>
    public const string Set = """
        local current = redis.call('HGET', KEYS[1], 'version')
        if ARGV[1] ~= '' then
          if current ~= ARGV[1] then return -1 end
        elseif ARGV[2] == '1' and current then
          return -1
        end
        redis.call('HSET', KEYS[1], 'data', ARGV[3])
        local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
        local ttl = tonumber(ARGV[4])
        if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) else redis.call('PERSIST', KEYS[1]) end
        return version
        """;

    /// <summary>KEYS: key. ARGV: ETag ('' = none). Returns 1 when deleted, 0 when missing, -1 on an ETag mismatch.</summary>
    public const string Delete = """
        if ARGV[1] ~= '' and redis.call('HGET', KEYS[1], 'version') ~= ARGV[1] then return -1 end
        return redis.call('DEL', KEYS[1])
        """;

    /// <summary>
    /// Dapr's state transaction in one atomic script. KEYS: the key of each operation, in order. ARGV: five per
    /// operation: kind ('set'/'del'), ETag ('' = none), first-write ('1'/'0'), data, TTL ms (0 = none). Every condition
    /// is checked first, against the versions the earlier operations would leave, and nothing is written unless all
    /// hold. Returns 0, or the 1-based index of the operation whose condition failed.
    /// </summary>
    public const string Transact = """
        local versions = {}
        for i = 1, #KEYS do
          local key = KEYS[i]
          local kind, etag, first = ARGV[i * 5 - 4], ARGV[i * 5 - 3], ARGV[i * 5 - 2]
          local current = versions[key]
          if current == nil then current = redis.call('HGET', key, 'version') end
          if etag ~= '' then
            if current ~= etag then return i end
          elseif kind == 'set' and first == '1' and current then
            return i
          end
          if kind == 'set' then
            versions[key] = tostring((current and tonumber(current) or 0) + 1)
          else
            versions[key] = false
          end
        end
        for i = 1, #KEYS do
          local key = KEYS[i]
          if ARGV[i * 5 - 4] == 'set' then
            redis.call('HSET', key, 'data', ARGV[i * 5 - 1])
            redis.call('HINCRBY', key, 'version', 1)
            local ttl = tonumber(ARGV[i * 5])
            if ttl > 0 then redis.call('PEXPIRE', key, ttl) else redis.call('PERSIST', key) end
          else
            redis.call('DEL', key)
          end
        end
        return 0
        """;
}
