namespace OmneoSfccBridge.Observability;

/// <summary>What the backfill gauges show of the current or last backfill.</summary>
internal sealed record BackfillGauges(long Done, long? Total, double RatePerSecond, bool Running);
