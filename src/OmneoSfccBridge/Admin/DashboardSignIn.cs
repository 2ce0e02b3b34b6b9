using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OmneoSfccBridge.Admin;

/// <summary>
/// The dashboard in a browser: a sign-in page that takes the admin key once and sets the session cookie, a sign-out,
/// and a redirect of anonymous browser requests to the sign-in page (scripts without the header still get 401).
/// </summary>
internal static class DashboardSignIn
{
    public const string DashboardPath = "/hangfire";
    public const string SignInPath = "/hangfire/login";
    public const string SignOutPath = "/hangfire/logout";

    public static WebApplication MapDashboardSignIn(this WebApplication app)
    {
        // Before the dashboard's endpoint runs: a browser without a session is sent to the sign-in page.
        app.Use(RedirectAnonymousBrowsersAsync);

        // Literal routes win over the dashboard's catch-all /hangfire/{**path}. The form is read by hand (no
        // antiforgery token): SameSite=Strict keeps the cookie off cross-site requests, and a forged sign-in would
        // need the admin key anyway.
        var group = app.MapGroup("").WithTags("Admin").ExcludeFromDescription();
        group.MapGet(SignInPath, GetSignIn).WithName("DashboardSignInForm");
        group.MapPost(SignInPath, SignInAsync).WithName("DashboardSignIn").DisableAntiforgery();
        group.MapMethods(SignOutPath, [HttpMethods.Get, HttpMethods.Post], SignOut).WithName("DashboardSignOut").DisableAntiforgery();
        return app;
    }

    internal static ContentHttpResult GetSignIn(HttpContext context) => Page(context, null, StatusCodes.Status200OK);

    /// <summary>The admin key from the form: a session cookie and the dashboard, or the form again with 401.</summary>
    internal static async Task<Results<RedirectHttpResult, ContentHttpResult>> SignInAsync(
        HttpContext context,
        AdminKey key,
        DashboardSession session,
        CancellationToken cancellationToken)
    {
        var presented = context.Request.HasFormContentType
            ? (await context.Request.ReadFormAsync(cancellationToken))["key"]
            : default;
        if (presented.Count != 1 || !key.Matches(presented[0]))
        {
            return Page(context, "That key was not accepted.", StatusCodes.Status401Unauthorized);
        }

        session.SignIn(context.Response);
        return TypedResults.Redirect(DashboardPath);
    }

    internal static RedirectHttpResult SignOut(HttpContext context)
    {
        DashboardSession.SignOut(context.Response);
        return TypedResults.Redirect(SignInPath);
    }

    /// <summary>Not an async method: it runs before every request of every endpoint, and most only pass through.</summary>
    private static Task RedirectAnonymousBrowsersAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments(DashboardPath)
            && !path.StartsWithSegments(SignInPath)
            && !path.StartsWithSegments(SignOutPath)
            && HttpMethods.IsGet(context.Request.Method)
            && WantsHtml(context.Request)
            && !context.RequestServices.GetRequiredService<AdminKeyDashboardFilter>().IsAuthorized(context))
        {
            context.Response.Redirect(SignInPath);
            return Task.CompletedTask;
        }

        return next(context);
    }

    private static bool WantsHtml(HttpRequest request) =>
        request.Headers.Accept.Any(a => a?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);

    private static ContentHttpResult Page(HttpContext context, string? message, int status)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "no-store";
        headers["X-Frame-Options"] = "DENY";
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";
        var notice = message is null ? "" : $"""<p role="alert" style="color:#b00">{WebUtility.HtmlEncode(message)}</p>""";
        return TypedResults.Content($$"""
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Bridge dashboard: sign in</title></head>
            <body style="font-family:sans-serif;max-width:26rem;margin:4rem auto">
            <h1 style="font-size:1.3rem">OmneoSfccBridge: jobs dashboard</h1>
            {{notice}}
            <form method="post" action="{{SignInPath}}">
            <label for="key">Admin key</label><br>
            <input id="key" name="key" type="password" autocomplete="current-password" required style="width:100%" autofocus>
            <p><button type="submit">Sign in</button></p>
            </form>
            </body>
            </html>
            """, "text/html; charset=utf-8", statusCode: status);
    }
}
