using System.Diagnostics;
using Refit;

namespace OmneoSfccBridge.Observability;

/// <summary>
/// Upstream call spans name the route template (Refit's, or the same option set by a typed client: <c>GET /customers/{customerNo}</c>), not the filled URL: the
/// path of an SFCC or Omneo call often holds a customer number, a customer id or a profile id.
/// </summary>
internal static class UpstreamSpans
{
    private static readonly HttpRequestOptionsKey<string> TemplateKey = new(HttpRequestMessageOptions.RelativePathTemplate);

    public static void UseRouteTemplate(Activity activity, HttpRequestMessage request)
    {
        if (request.RequestUri is not { IsAbsoluteUri: true } uri)
        {
            return;
        }

        // Without a template (a token endpoint called directly) the path has no ids, only the query might.
        var template = request.Options.TryGetValue(TemplateKey, out var value) && !string.IsNullOrEmpty(value) ? value : uri.AbsolutePath;
        var path = "/" + template.Split('?', 2)[0].TrimStart('/');
        activity.SetTag("url.template", path);
        activity.SetTag("url.full", uri.GetLeftPart(UriPartial.Authority) + path);
        activity.DisplayName = request.Method.Method + " " + path;
    }
}
