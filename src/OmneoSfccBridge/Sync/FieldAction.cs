namespace OmneoSfccBridge.Sync;

/// <summary>What the sync writes for one field after the merge.</summary>
internal enum FieldAction
{
    /// <summary>Both sides hold the agreed value already, or it may not be written (Omneo cannot clear a field; a withheld email).</summary>
    Nothing,

    WriteToOmneo,

    WriteToSfcc,
}
