using System.Buffers;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using OmneoSfccBridge.Operations;

namespace OmneoSfccBridge.CustomerAuth.Storefront;

/// <summary><c>POST /login/storefront</c>: the storefront's server side vouches, with a signed request, for the shopper it has signed in.</summary>
internal static class StorefrontLoginEndpoints
{
    public const string Path = "/login/storefront";

    /// <summary>The <c>WWW-Authenticate</c> challenge of every refusal.</summary>
    public const string Challenge = "Storefront";

    public static WebApplicationBuilder AddStorefrontLogin(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<StorefrontOptions>().BindConfiguration(StorefrontOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorefrontOptions>, StorefrontOptionsValidator>();
        services.AddSingleton<StorefrontRequestVerifier>();
        services.AddSingleton<StorefrontKeyRateLimiter>();
        services.AddSingleton<StorefrontLoginService>();
        return builder;
    }

    public static IEndpointRouteBuilder MapStorefrontLogin(this IEndpointRouteBuilder app)
    {
        var enabled = app.ServiceProvider.GetRequiredService<IOptions<StorefrontOptions>>().Value.Enabled;
        app.MapPost(Path, LoginAsync)
            .WithName("StorefrontLogin")
            .WithTags("Customer auth")
            .WithSummary("Exchange a storefront-signed customer number for an Omneo customer token (server to server).")
            .WithDescription(enabled
                ? $"JSON body {{\"customer_no\",\"timestamp\"}} (Unix seconds), headers {StorefrontRequestVerifier.KeyHeader} (key id) and {StorefrontRequestVerifier.SignatureHeader} (lowercase hex HMAC-SHA256 of the raw body with that key's secret)."
                : "Off on this bridge: no Storefront__Keys__N__Id / Storefront__Keys__N__Secret is configured, so it answers 404.")
            .AddOpenApiOperationTransformer(DescribeBodyAsync)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);
        return app;
    }

    /// <summary>
    /// The body's schema, for the document only: <c>Accepts</c> would also turn away any other Content-Type with 415,
    /// where the signature over the raw bytes is what matters.
    /// </summary>
    private static async Task DescribeBodyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var schema = await context.GetOrCreateSchemaAsync(typeof(StorefrontLoginRequest), cancellationToken: cancellationToken);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
        };
    }

    /// <summary>
    /// Every refusal (unknown key, bad signature, stale timestamp, other members, unsafe or unknown customer_no) is the
    /// same 401; a body that is not JSON or is over 1 KB is a 400.
    /// </summary>
    internal static async Task<Results<Ok<LoginResponse>, ProblemHttpResult>> LoginAsync(
        HttpRequest request,
        HttpResponse response,
        IOptions<StorefrontOptions> options,
        StorefrontLoginService logins,
        CancellationToken cancellationToken)
    {
        response.Headers.CacheControl = "no-store";
        if (!options.Value.Enabled)
        {
            return TypedResults.Problem(
                "Storefront login is off on this bridge: no storefront key is configured.",
                statusCode: StatusCodes.Status404NotFound,
                title: "Not found");
        }

        // The body is read into a pooled buffer, returned once the answer is decided: nothing (the parsed document
        // included, which reads the buffer in place) outlives this call.
        var buffer = ArrayPool<byte>.Shared.Rent(StorefrontRequestVerifier.MaxBodyBytes + 1);
        try
        {
            var body = await ReadBodyAsync(request, buffer, cancellationToken);
            if (body is null)
            {
                return TypedResults.Problem(
                    $"A storefront login body is at most {StorefrontRequestVerifier.MaxBodyBytes} bytes.",
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "Request body too large");
            }

            using var document = StorefrontRequestVerifier.TryParse(body.Value);
            if (document is null)
            {
                return TypedResults.Problem(
                    "The body must be one JSON object: {\"customer_no\":\"...\",\"timestamp\":<Unix seconds>}.",
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "Malformed JSON");
            }

            var outcome = await logins.LoginAsync(
                Single(request.Headers[StorefrontRequestVerifier.KeyHeader]),
                Single(request.Headers[StorefrontRequestVerifier.SignatureHeader]),
                body.Value,
                document.RootElement,
                cancellationToken);
            switch (outcome)
            {
                case StorefrontOutcome.Accepted accepted:
                    return TypedResults.Ok(accepted.Login);
                case StorefrontOutcome.Limited limited:
                    response.Headers.RetryAfter = Math.Clamp((int)Math.Ceiling(limited.RetryAfter.TotalSeconds), 1, 3600).ToString(CultureInfo.InvariantCulture);
                    return TypedResults.Problem(
                        "Too many storefront logins for this key. Try again after the Retry-After delay.",
                        statusCode: StatusCodes.Status429TooManyRequests,
                        title: "Too many requests",
                        extensions: new Dictionary<string, object?> { [LimitProblems.LimitExtension] = "storefront_key" });
                default:
                    response.Headers.WWWAuthenticate = Challenge;
                    return TypedResults.Problem(
                        "The signed storefront request was not accepted.",
                        statusCode: StatusCodes.Status401Unauthorized,
                        title: "Authentication failed");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A header sent exactly once, else null: two values are never read two ways.</summary>
    private static string? Single(Microsoft.Extensions.Primitives.StringValues values) => values.Count == 1 ? values[0] : null;

    /// <summary>The raw body, in <paramref name="buffer"/>, or null when it is over the limit (read no further than one byte past it).</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpRequest request, byte[] buffer, CancellationToken cancellationToken)
    {
        if (request.ContentLength > StorefrontRequestVerifier.MaxBodyBytes)
        {
            return null;
        }

        var limit = StorefrontRequestVerifier.MaxBodyBytes + 1;
        var total = 0;
        int read;
        while (total < limit && (read = await request.Body.ReadAsync(buffer.AsMemory(total, limit - total), cancellationToken)) > 0)
        {
            total += read;
        }

        return total > StorefrontRequestVerifier.MaxBodyBytes ? null : buffer.AsMemory(0, total);
    }
}
