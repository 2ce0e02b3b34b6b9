namespace OmneoSfccBridge.Sync;

/// <summary>The merge's answer for one field: the value both sides agree on afterwards (null: empty), what to write, and the conflict to record.</summary>
internal sealed record FieldDecision(string Field, string? Agreed, FieldAction Action, FieldConflict? Conflict);
