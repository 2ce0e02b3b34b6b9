using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OmneoSfccBridge.BrowserCallers;
using OmneoSfccBridge.CustomerAuth;

namespace OmneoSfccBridge.CustomerRegistration;

internal static class RegistrationEndpoints
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const int MaxIdempotencyKeyLength = 100;

    public static IEndpointRouteBuilder MapRegistrationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/create", CreateAsync)
            .WithName("Create")
            .WithTags("Customer auth")
            .WithSummary("Register a guest as an SFCC customer linked to one Omneo profile.")
            .RequireRateLimiting(RegistrationExtensions.ConcurrencyLimit)
            .RequireBrowserCallers()
            .Accepts<RegistrationForm>("application/json")
            .Produces<CreateResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);
        return app;
    }

    /// <summary>
    /// <c>Authorization: Bearer &lt;guest SFCC token&gt;</c>, optional <c>Idempotency-Key</c>, and the JSON body
    /// <c>login, email, password, first_name, last_name</c> (required), <c>phone, birthday</c> (optional). Everything
    /// is checked before SFCC or Omneo is asked anything.
    /// </summary>
    internal static async Task<Results<Created<CreateResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        [FromHeader(Name = "Authorization")] string? authorization,
        HttpRequest request,
        HttpResponse response,
        RegistrationService registrations,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        response.Headers.CacheControl = "no-store";
        var credentials = AuthorizationHeader.TryParse(authorization, out var problem);
        if (credentials is null)
        {
            return CustomerAuthProblems.MalformedAuthorization(problem);
        }

        string? idempotencyKey = null;
        if (request.Headers.TryGetValue(IdempotencyKeyHeader, out var keys))
        {
            idempotencyKey = keys.Count == 1 ? keys[0] : null;
            if (idempotencyKey is not { Length: > 0 and <= MaxIdempotencyKeyLength } || idempotencyKey.Any(char.IsControl))
            {
                return TypedResults.Problem(
                    $"The {IdempotencyKeyHeader} header must be one value of 1 to {MaxIdempotencyKeyLength} characters.",
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "Invalid Idempotency-Key");
            }
        }

        var (form, errors, bodyProblem) = await RegistrationForm.ReadAsync(request.Body, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), cancellationToken);
        if (bodyProblem is not null)
        {
            return TypedResults.Problem(bodyProblem, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request body");
        }

        if (form is null)
        {
            return TypedResults.ValidationProblem(errors!, "The request body is invalid.");
        }

        if (credentials is not ShopperCredentials.Token token)
        {
            return Unauthorized(response);
        }

        return await registrations.RegisterAsync(token.Value, form, idempotencyKey, cancellationToken) switch
        {
            RegistrationOutcome.Created created => TypedResults.Created((string?)null, created.Response),
            RegistrationOutcome.TokenRefused => Unauthorized(response),
            RegistrationOutcome.NotGuest => TypedResults.Problem(
                "Only guests can register: this token belongs to a registered customer.",
                statusCode: StatusCodes.Status403Forbidden,
                title: "Already registered"),
            RegistrationOutcome.LoginTaken => TypedResults.Problem(
                "The login is already in use.",
                statusCode: StatusCodes.Status409Conflict,
                title: "Login in use"),
            RegistrationOutcome.PasswordRejected rejected => TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["password"] = [PlainReason(rejected.Reason)] },
                "The password does not meet the site's password policy.",
                title: "Password rejected"),
            RegistrationOutcome.RejectedBySfcc => TypedResults.Problem(
                "SFCC did not accept the registration details.",
                statusCode: StatusCodes.Status400BadRequest,
                title: "Registration refused"),
            RegistrationOutcome.KeyReused => TypedResults.Problem(
                $"The {IdempotencyKeyHeader} was already used with a different request body.",
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Idempotency-Key reused"),
            var other => throw new InvalidOperationException($"Unhandled registration outcome {other.GetType().Name}."),
        };
    }

    private static ProblemHttpResult Unauthorized(HttpResponse response) => CustomerAuthProblems.AuthenticationFailed(response, "Bearer");

    /// <summary>SFCC's own policy sentence when it is one (short, plain text), else ours.</summary>
    private static string PlainReason(string? reason) =>
        reason is { Length: > 0 and <= 200 } && reason.All(c => !char.IsControl(c) && c is not ('<' or '>' or '{' or '}'))
            ? reason
            : "The password does not meet the site's password policy.";
}
