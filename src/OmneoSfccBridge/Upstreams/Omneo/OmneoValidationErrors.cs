namespace OmneoSfccBridge.Upstreams.Omneo;

/// <summary>Omneo's 422 body: <c>{"message":"..","errors":{"field":["msg"]}}</c>.</summary>
public sealed class OmneoValidationErrors
{
    public string? Message { get; init; }

    public Dictionary<string, string[]> Errors { get; init; } = [];

    /// <summary>Every refused field with Omneo's words, e.g. <c>email: The email has already been taken.</c>; else the message.</summary>
    public override string ToString() => Errors.Count > 0
        ? string.Join("; ", Errors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))
        : Message ?? "no reason given";
}
