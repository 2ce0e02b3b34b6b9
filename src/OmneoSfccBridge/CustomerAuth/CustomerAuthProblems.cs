using Microsoft.AspNetCore.Http.HttpResults;

namespace OmneoSfccBridge.CustomerAuth;

/// <summary>
/// The answers every shopper-authenticated endpoint gives alike: a malformed Authorization header, and the one 401
/// that never says why (unknown login, wrong password, forged or expired token all read the same).
/// </summary>
internal static class CustomerAuthProblems
{
    public static ProblemHttpResult MalformedAuthorization(string? detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Malformed Authorization header");

    /// <param name="response">Gets the <c>WWW-Authenticate</c> challenge.</param>
    /// <param name="challenge">The schemes the endpoint accepts, e.g. <c>Bearer</c>.</param>
    public static ProblemHttpResult AuthenticationFailed(HttpResponse response, string challenge)
    {
        response.Headers.WWWAuthenticate = challenge;
        return TypedResults.Problem(
            "The credentials or the token were not accepted.",
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Authentication failed");
    }
}
