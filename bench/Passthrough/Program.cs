// The baseline of the warm login: a minimal API that makes the same single upstream call as a warm bridge login
// (the Omneo customer token, through IHttpClientFactory) and answers {token, expiry}. No validation, no database, no
// limits, no logging: whatever the bridge costs beyond this is the bridge's own.
// Usage: dotnet Passthrough.dll --urls http://127.0.0.1:PORT --upstream http://127.0.0.1:STUBPORT
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var upstream = new Uri(builder.Configuration["upstream"] ?? throw new InvalidOperationException("--upstream is required"));
builder.Services.AddHttpClient("omneo", client => client.BaseAddress = upstream);
var app = builder.Build();

// The same answer for the signed storefront login: its body is read by Kestrel and ignored.
app.MapPost("/login", LoginAsync);
app.MapPost("/login/storefront", LoginAsync);

app.Run();

static async Task<IResult> LoginAsync(IHttpClientFactory factory, CancellationToken cancellationToken)
{
    using var response = await factory.CreateClient("omneo").PostAsJsonAsync("/id/api/v1/auth/token", new TokenRequest("1"), cancellationToken);
    response.EnsureSuccessStatusCode();
    var body = await response.Content.ReadFromJsonAsync<Envelope>(cancellationToken);
    return Results.Ok(new LoginAnswer(body!.Data!.Token!, DateTimeOffset.FromUnixTimeSeconds(body.Data.Exp).UtcDateTime));
}

internal sealed record TokenRequest(string Id);

internal sealed record TokenData(string? Token, long Exp);

internal sealed record Envelope(TokenData? Data);

internal sealed record LoginAnswer(string Token, DateTime Expiry);
