using System.Security.Cryptography;
using System.Text;
using Hangfire.Dashboard;
using Microsoft.Extensions.Options;

namespace OmneoSfccBridge.Admin;

/// <summary>Checks <c>X-Admin-Key</c> in constant time (hashes of equal length are compared).</summary>
internal sealed class AdminKey(IOptions<AdminOptions> options)
{
    public const string HeaderName = "X-Admin-Key";

    public bool IsValid(HttpContext context) =>
        context.Request.Headers.TryGetValue(HeaderName, out var presented)
        && presented.Count == 1
        && Matches(presented[0]);

    /// <summary>Whether <paramref name="presented"/> is the admin key (the dashboard's sign-in form sends it this way).</summary>
    public bool Matches(string? presented) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented ?? "")),
            SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.ApiKey)));
}

/// <summary>Guards an endpoint group with the admin key: 401 ProblemDetails without it.</summary>
internal sealed class AdminKeyFilter(AdminKey key) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        key.IsValid(context.HttpContext)
            ? await next(context)
            : TypedResults.Problem($"Send the admin key in the {AdminKey.HeaderName} header.", statusCode: StatusCodes.Status401Unauthorized, title: "Admin key required");
}

/// <summary>
/// The Hangfire dashboard takes the same key (scripts), or the session cookie its sign-in page sets (browsers);
/// anonymous requests, local or remote, are refused.
/// </summary>
internal sealed class AdminKeyDashboardFilter(AdminKey key, DashboardSession session) : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => IsAuthorized(context.GetHttpContext());

    public bool IsAuthorized(HttpContext context) => key.IsValid(context) || session.IsValid(context);
}
