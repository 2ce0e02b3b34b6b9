using Dapper;

namespace OmneoSfccBridge.CustomerRegistration;

/// <summary>
/// <c>Idempotency-Key</c>s of <c>/create</c> and the 201 each produced, kept for <see cref="Retention"/>. A key belongs
/// to the guest that sent it (the validated token's customer_id): another guest's same key is another key, so it can
/// neither replay nor block this guest's answer. Only successes are kept: a failed attempt releases its key, so the
/// client's retry with it runs again. Callers hold the registration lock of the body's login, so two requests with
/// one key and one body never run together. The body is kept only as an <see cref="IdempotencyFingerprint"/>.
/// </summary>
internal sealed class IdempotencyStore(Storage.BridgeDatabase database, IdempotencyFingerprint fingerprints, TimeProvider time)
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    public async Task<IdempotencyClaim> ClaimAsync(string guestCustomerId, string key, string requestHash, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM create_idempotency_keys WHERE created_at < @cutoff",
            new { cutoff = (now - Retention).ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO create_idempotency_keys (guest_customer_id, idempotency_key, request_hash, created_at)
            VALUES (@guestCustomerId, @key, @requestHash, @now)
            ON CONFLICT (guest_customer_id, idempotency_key) DO NOTHING
            """,
            new { guestCustomerId, key, requestHash, now = now.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        if (inserted == 1)
        {
            return new IdempotencyClaim.Claimed();
        }

        var row = await connection.QuerySingleOrDefaultAsync<(string RequestHash, long? CompletedAt, string? CustomerNo, string? ProfileId)>(new CommandDefinition(
            "SELECT request_hash, completed_at, customer_no, profile_id FROM create_idempotency_keys WHERE guest_customer_id = @guestCustomerId AND idempotency_key = @key",
            new { guestCustomerId, key },
            cancellationToken: cancellationToken));
        if (row.RequestHash is null)
        {
            // Purged between the insert and the select: a day old, so start afresh.
            return await ClaimAsync(guestCustomerId, key, requestHash, cancellationToken);
        }

        if (!fingerprints.IsCurrent(row.RequestHash))
        {
            // Made under a secret since rotated: its body cannot be compared any more, so the key is forgotten.
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM create_idempotency_keys WHERE guest_customer_id = @guestCustomerId AND idempotency_key = @key AND request_hash = @stale",
                new { guestCustomerId, key, stale = row.RequestHash },
                cancellationToken: cancellationToken));
            return await ClaimAsync(guestCustomerId, key, requestHash, cancellationToken);
        }

        if (row.RequestHash != requestHash)
        {
            return new IdempotencyClaim.Mismatch();
        }

        // Not completed under the lock: left by a request that died mid-way. This one takes it over.
        return row.CompletedAt is not null
            ? new IdempotencyClaim.Replay(new CreateResponse(row.CustomerNo!, row.ProfileId))
            : new IdempotencyClaim.Claimed();
    }

    public async Task CompleteAsync(string guestCustomerId, string key, CreateResponse response, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE create_idempotency_keys SET completed_at = @now, customer_no = @customerNo, profile_id = @profileId
            WHERE guest_customer_id = @guestCustomerId AND idempotency_key = @key
            """,
            new { guestCustomerId, key, now = time.GetUtcNow().ToUnixTimeMilliseconds(), customerNo = response.CustomerNo, profileId = response.ProfileId },
            cancellationToken: cancellationToken));
    }

    /// <summary>Frees the key of an attempt that did not succeed, so it can be retried.</summary>
    public async Task ReleaseAsync(string guestCustomerId, string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM create_idempotency_keys WHERE guest_customer_id = @guestCustomerId AND idempotency_key = @key AND completed_at IS NULL",
            new { guestCustomerId, key },
            cancellationToken: cancellationToken));
    }
}
