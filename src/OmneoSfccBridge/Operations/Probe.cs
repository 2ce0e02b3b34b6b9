namespace OmneoSfccBridge.Operations;

/// <summary><c>--probe URL</c>: exits 0 when the URL answers 2xx within 3 seconds, else 1.</summary>
internal static class Probe
{
    public static async Task<int> RunAsync(Uri url)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await client.GetAsync(url);
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return 1;
        }
    }
}
