namespace OmneoSfccBridge.Admin;

/// <summary>Guards an endpoint group with the admin key: 401 ProblemDetails without it.</summary>
internal sealed class AdminKeyFilter(AdminKey key) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        key.IsValid(context.HttpContext)
            ? await next(context)
            : TypedResults.Problem($"Send the admin key in the {AdminKey.HeaderName} header.", statusCode: StatusCodes.Status401Unauthorized, title: "Admin key required");
}
