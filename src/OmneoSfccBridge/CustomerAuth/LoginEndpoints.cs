using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OmneoSfccBridge.BrowserCallers;

namespace OmneoSfccBridge.CustomerAuth;

internal static class LoginEndpoints
{
    public static IEndpointRouteBuilder MapLoginEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/login", LoginAsync)
            .WithName("Login")
            .WithTags("Customer auth")
            .WithSummary("Exchange SFCC shopper credentials or an SFCC shopper token for an Omneo customer token.")
            .RequireRateLimiting(CustomerAuthExtensions.LoginAccountRateLimit)
            .RequireBrowserCallers()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);
        return app;
    }

    /// <summary>
    /// <c>Authorization: Basic base64(login:password)</c> or <c>Authorization: Bearer &lt;SFCC token&gt;</c>. A refused
    /// login always gets the same 401, whether or not the account exists.
    /// </summary>
    internal static async Task<Results<Ok<LoginResponse>, ProblemHttpResult>> LoginAsync(
        [FromHeader(Name = "Authorization")] string? authorization,
        HttpResponse response,
        LoginService logins,
        CancellationToken cancellationToken)
    {
        response.Headers.CacheControl = "no-store";
        var credentials = AuthorizationHeader.TryParse(authorization, out var problem);
        if (credentials is null)
        {
            return CustomerAuthProblems.MalformedAuthorization(problem);
        }

        var login = await logins.LoginAsync(credentials, cancellationToken);
        if (login is null)
        {
            return CustomerAuthProblems.AuthenticationFailed(response, "Basic realm=\"omneo-sfcc-bridge\", Bearer");
        }

        return TypedResults.Ok(login);
    }
}
