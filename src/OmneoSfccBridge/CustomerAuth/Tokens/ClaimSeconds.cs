namespace OmneoSfccBridge.CustomerAuth.Tokens;

/// <summary>How a NumericDate claim (<c>exp</c>, <c>iat</c>, <c>nbf</c>) reads.</summary>
internal enum ClaimSeconds
{
    /// <summary>The claim is not there.</summary>
    Absent,

    /// <summary>Whole seconds between 1970 and 9999, so it converts to a <see cref="DateTimeOffset"/>.</summary>
    Valid,

    /// <summary>There, but not a whole number of seconds in that range: a string, a fraction, an overflow.</summary>
    Invalid,
}
