namespace OmneoSfccBridge.Storage;

public sealed record AuditEvent(DateTimeOffset OccurredAt, string Kind, string? ProfileId, string? Detail);
