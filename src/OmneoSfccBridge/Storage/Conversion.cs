namespace OmneoSfccBridge.Storage;

/// <summary>A guest who became a registered SFCC customer through the bridge.</summary>
/// <param name="CustomerListId">The SFCC customer list.</param>
/// <param name="CustomerNo">The registered customer's number.</param>
/// <param name="GuestCustomerId">The guest's SFCC customer_id (the registered customer gets another).</param>
/// <param name="SfccCustomerId">The registered customer's SFCC customer_id.</param>
/// <param name="ConvertedAt">When SFCC registered the customer (as the bridge saw it).</param>
/// <param name="ProfileId">The Omneo profile linked; null while the link is completed in the background.</param>
/// <param name="LinkedAt">When the Omneo link was made; null while pending.</param>
public sealed record Conversion(
    string CustomerListId,
    string CustomerNo,
    string GuestCustomerId,
    string? SfccCustomerId,
    string? ProfileId,
    DateTimeOffset ConvertedAt,
    DateTimeOffset? LinkedAt);
