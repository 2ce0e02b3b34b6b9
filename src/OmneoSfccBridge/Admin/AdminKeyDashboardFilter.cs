using Hangfire.Dashboard;

namespace OmneoSfccBridge.Admin;

/// <summary>
/// The Hangfire dashboard takes the same key (scripts), or the session cookie its sign-in page sets (browsers);
/// anonymous requests, local or remote, are refused.
/// </summary>
internal sealed class AdminKeyDashboardFilter(AdminKey key, DashboardSession session) : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => IsAuthorized(context.GetHttpContext());

    public bool IsAuthorized(HttpContext context) => key.IsValid(context) || session.IsValid(context);
}
