using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.Operations;

namespace OmneoSfccBridge.CustomerAuth;

/// <summary>
/// Caps credentials logins per account, whatever address they come from: SFCC locks an account after a few wrong
/// passwords, and without this cap anyone who knows a shopper's login could keep it locked. The partition key is a
/// keyed hash of the login, so the limiter never holds a login in clear. Bearer logins are not counted.
/// </summary>
internal sealed class LoginAccountRateLimitPolicy(IOptions<CustomerAuthOptions> options) : IRateLimiterPolicy<string>
{
    private static readonly RateLimitPartition<string> NotCounted = RateLimitPartition.GetNoLimiter("none");

    // Per process: the keys only need to be stable for this limiter's lifetime, and are useless outside it.
    private readonly byte[] _hashKey = RandomNumberGenerator.GetBytes(32);

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = (context, _) => LimitProblems.RejectAsync(
        context,
        StatusCodes.Status429TooManyRequests,
        "Too many requests",
        "Too many login attempts for this account. Try again after the Retry-After delay.",
        "account",
        TimeSpan.FromSeconds(60));

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var permits = options.Value.LoginAttemptsPerAccountPerMinute;
        var header = httpContext.Request.Headers.Authorization.ToString();
        if (permits == 0 || !IsBasic(header) || AuthorizationHeader.TryParse(header, out _) is not ShopperCredentials.Password password)
        {
            return NotCounted;
        }

        // A sliding window (six 10-second segments) so a burst at a window's edge cannot double the attempts.
        return RateLimitPartition.GetSlidingWindowLimiter(AccountKey(password.Login), _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            SegmentsPerWindow = 6,
            QueueLimit = 0,
        });
    }

    /// <summary>
    /// Whether the header's scheme (what precedes its first space, as <see cref="AuthorizationHeader"/> reads it) is Basic:
    /// a Bearer login, every warm one, is not parsed here at all (the endpoint parses it once).
    /// </summary>
    private static bool IsBasic(string header)
    {
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        return header.AsSpan(0, space < 0 ? header.Length : space).Equals("Basic", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// One key for every spelling SFCC may treat as the same login (case, compatibility forms, outer spaces):
    /// folding too much only makes the cap stricter, folding too little would let variants share out the lockout.
    /// </summary>
    private string AccountKey(string login)
    {
        string canonical;
        try
        {
            canonical = login.Trim().Normalize(NormalizationForm.FormKC).ToUpperInvariant();
        }
        catch (ArgumentException)
        {
            canonical = login.Trim().ToUpperInvariant();
        }

        return Convert.ToHexString(HMACSHA256.HashData(_hashKey, Encoding.UTF8.GetBytes(canonical))).ToLower(CultureInfo.InvariantCulture);
    }
}
