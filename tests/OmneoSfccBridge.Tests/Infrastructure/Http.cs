using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OmneoSfccBridge.Tests.Infrastructure;

public static class Http
{
    public static HttpRequestMessage Login(string? authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/login");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return request;
    }

    /// <summary>A <c>POST /create</c>; <paramref name="body"/> is sent as is when a string, else as snake_case JSON.</summary>
    public static HttpRequestMessage Create(string? authorization, object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/create")
        {
            Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        return request;
    }

    public static string Basic(string login, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{login}:{password}"));

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task AssertProblemAsync(this HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.JsonAsync();
        Assert.Equal(status, body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(body.GetProperty("trace_id").GetString()));
    }

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);
}
