using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace OmneoSfccBridge.Upstreams;

/// <summary>
/// The one rule for identifiers that end up in an upstream URL path or an upstream lookup: an SFCC customer_id or
/// customer_no, an Omneo profile id, an identity identifier. Letters, digits, <c>.</c>, <c>_</c> and <c>-</c>, 1 to 64
/// characters, and never <c>.</c> or <c>..</c> as the whole value, so no value taken from a token, a webhook or an
/// upstream answer can walk a path (<c>customers/..</c> is the Shop API root) or smuggle a query.
/// </summary>
public static partial class UpstreamIdentifier
{
    public const int MaxLength = 64;

    /// <summary>True when <paramref name="value"/> may be placed in an upstream path.</summary>
    public static bool IsValid([NotNullWhen(true)] string? value) =>
        value is not null and not "." and not ".." && Pattern().IsMatch(value);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
