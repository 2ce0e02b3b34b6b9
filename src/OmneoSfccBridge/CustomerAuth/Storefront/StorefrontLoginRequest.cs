namespace OmneoSfccBridge.CustomerAuth.Storefront;

/// <summary>The body of <c>POST /login/storefront</c>, exactly these two members (documentation only: the raw bytes are what is signed and read).</summary>
/// <param name="CustomerNo">The SFCC customer number of the shopper the storefront has signed in.</param>
/// <param name="Timestamp">When the storefront signed the request, in Unix seconds.</param>
public sealed record StorefrontLoginRequest(string CustomerNo, long Timestamp);
