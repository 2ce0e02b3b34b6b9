namespace OmneoSfccBridge.CustomerAuth;

/// <summary>How shopper tokens and credentials are checked.</summary>
public sealed class CustomerAuthOptions
{
    public const string SectionName = "CustomerAuth";

    /// <summary>Leeway for <c>exp</c>, <c>iat</c> and <c>nbf</c>, in seconds (0 to 60).</summary>
    public int ClockSkewSeconds { get; set; } = 30;

    /// <summary>Longest bearer token accepted, in bytes; real OCAPI tokens are under 1 KB.</summary>
    public int MaxTokenBytes { get; set; } = 4096;

    /// <summary>Algorithms an OCAPI token header may name. <c>none</c> is never accepted.</summary>
    public string[] OcapiAlgorithms { get; set; } = ["HS256", "RS256"];

    /// <summary>Whether an OCAPI token must carry <c>iss</c> (some older tokens lack it).</summary>
    public bool RequireIssuer { get; set; } = true;

    /// <summary>
    /// Furthest <c>exp</c> accepted, in seconds from now (1800 to 604800). OCAPI tokens live 1800 s; a token claiming
    /// to live for years is forged, and is refused before anything is asked of SFCC.
    /// </summary>
    public int MaxTokenLifetimeSeconds { get; set; } = 86_400;

    /// <summary>
    /// Longest an accepted token is trusted without asking SFCC again, in seconds (0 to 3600; 0 asks every time), and
    /// never past the token's own <c>exp</c>: a shopper SFCC has logged out or disabled stops getting tokens this soon.
    /// </summary>
    public int MaxVerdictSeconds { get; set; } = 300;

    /// <summary>How long a token SFCC refused is remembered, so a replayed bad token costs no SFCC call.</summary>
    public int RejectedTokenCacheSeconds { get; set; } = 60;

    /// <summary>How many token verdicts are kept in memory at most.</summary>
    public int VerdictCacheEntries { get; set; } = 100_000;

    /// <summary>
    /// How long a customer's link (SFCC customer → Omneo profile) read by a login is reused by later logins on this
    /// instance, in seconds (0 to 300; 0 reads the database at every login). A link this instance changes or removes is
    /// dropped at once; one changed by another instance is seen within this time.
    /// </summary>
    public int LinkCacheSeconds { get; set; } = 30;

    /// <summary>Login attempts accepted per client address per minute (0 turns the limit off).</summary>
    public int LoginPermitsPerMinute { get; set; } = 600;

    /// <summary>
    /// Credentials logins accepted per login name per minute, from any address (0 turns the limit off). Keeps a
    /// stranger from driving SFCC's lockout of the account; the limit itself never locks anyone out for longer.
    /// </summary>
    public int LoginAttemptsPerAccountPerMinute { get; set; } = 10;
}
