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
        && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented[0] ?? "")),
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

/// <summary>The Hangfire dashboard takes the same key; anonymous requests, local or remote, are refused.</summary>
internal sealed class AdminKeyDashboardFilter(AdminKey key) : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => key.IsValid(context.GetHttpContext());
}
