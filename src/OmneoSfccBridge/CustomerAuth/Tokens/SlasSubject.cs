namespace OmneoSfccBridge.CustomerAuth.Tokens;

/// <summary>Who a SLAS token's <c>isb</c> says the shopper is.</summary>
/// <param name="Guest">A guest (<c>uido:slas::upn:Guest</c>, no <c>rcid</c>).</param>
/// <param name="CustomerId">The registered customer's <c>rcid</c>, or the guest's <c>gcid</c> (empty when absent).</param>
/// <param name="SiteId">The <c>chid</c>.</param>
internal sealed record SlasSubject(bool Guest, string CustomerId, string SiteId)
{
    /// <summary>
    /// Reads <c>uido:ecom::upn:alice::uidn:Alice::gcid:..::rcid:..::chid:RefArch</c>. Null when a member repeats (two
    /// readings of one token), <c>chid</c> is missing, or it is neither a guest nor a registered shopper.
    /// </summary>
    public static SlasSubject? TryParse(string isb)
    {
        if (isb.Length > 1024)
        {
            return null;
        }

        var members = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in isb.Split("::"))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !members.TryAdd(part[..colon], part[(colon + 1)..]))
            {
                return null;
            }
        }

        if (!members.TryGetValue("chid", out var site) || site.Length == 0)
        {
            return null;
        }

        if (members.TryGetValue("rcid", out var rcid))
        {
            return rcid.Length > 0 && members.TryGetValue("upn", out var upn) && upn.Length > 0
                ? new SlasSubject(false, rcid, site)
                : null;
        }

        return members.GetValueOrDefault("uido") == "slas" && members.GetValueOrDefault("upn") == "Guest"
            ? new SlasSubject(true, members.GetValueOrDefault("gcid") ?? "", site)
            : null;
    }
}
