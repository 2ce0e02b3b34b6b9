namespace OmneoSfccBridge.CustomerRegistration;

/// <summary>The body of a successful <c>/create</c>.</summary>
/// <param name="CustomerNo">The new SFCC customer number.</param>
/// <param name="ProfileId">The linked Omneo profile; null while the link is completed in the background.</param>
public sealed record CreateResponse(string CustomerNo, string? ProfileId);
