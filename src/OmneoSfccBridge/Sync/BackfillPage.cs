namespace OmneoSfccBridge.Sync;

/// <summary>One backfill page: where its SFCC read starts and, once applied, when and by which instance.</summary>
public sealed record BackfillPage(long Page, DateTimeOffset? Cursor, int Skip, DateTimeOffset? DoneAt, string? DoneBy);
