namespace OmneoSfccBridge.Sandbox;

/// <summary>Prints, once the bridge listens, what to try against the sandbox.</summary>
internal sealed partial class SandboxBanner(
    SandboxLandscape landscape,
    IHostApplicationLifetime lifetime,
    Microsoft.AspNetCore.Hosting.Server.IServer server,
    IConfiguration configuration,
    Microsoft.Extensions.Options.IOptions<OmneoSfccBridge.CustomerAuth.Storefront.StorefrontOptions> storefront) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = server.Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses;
            var bridge = addresses?.FirstOrDefault() ?? "http://localhost:5000";
            var first = landscape.DemoCustomers[0];
            var key = SandboxStorefront.FirstKey(storefront.Value);
            Console.WriteLine($"""

                ==== OmneoSfccBridge sandbox ====
                Bridge:          {bridge}
                Simulated SFCC:  {landscape.Sfcc.ShopUrl} (client id {SandboxSfcc.ClientId})
                Simulated Omneo: {landscape.Omneo.Url}
                Demo customers:  {string.Join(", ", landscape.DemoCustomers.Select(c => c.Login))} (password {SandboxLandscape.DemoPassword})
                Admin key:       {(landscape.AdminKeyGenerated ? configuration["Admin:ApiKey"] + $" (made on the first run and kept in {Path.GetRelativePath(Environment.CurrentDirectory, SandboxExtensions.AdminKeyFile)}; set Admin__ApiKey to choose one)" : "as configured in Admin__ApiKey")}, sent as X-Admin-Key
                Jobs dashboard:  {bridge.TrimEnd('/')}/hangfire in a browser (sign in with the admin key)
                Data:            {Path.GetRelativePath(Environment.CurrentDirectory, Path.GetFullPath(Path.Combine("data", "sandbox")))}/ (emptied at every start)
                Storefront key:  id {key?.KeyId} secret {key?.Secret} (for POST /login/storefront; also at GET /sandbox/storefront)

                Try:
                  curl -s -X POST {bridge}/login -u '{first.Login}:{SandboxLandscape.DemoPassword}'
                  curl -s -i -X POST {landscape.Sfcc.ShopUrl}/customers/auth -H 'x-dw-client-id: {SandboxSfcc.ClientId}' -H 'Content-Type: application/json' -d '{"{"}"type":"guest"{"}"}'
                  curl -s -X POST {bridge}/login -H 'Authorization: Bearer <the token from the line above>'
                  BODY='{"{"}"customer_no":"{first.CustomerNo}","timestamp":'$(date +%s)'{"}"}'; SIG=$(printf %s "$BODY" | openssl dgst -sha256 -hmac '{key?.Secret}' | awk '{"{"}print $NF{"}"}')
                  curl -s -X POST {bridge}/login/storefront -H 'Content-Type: application/json' -H 'X-Storefront-Key: {key?.KeyId}' -H "X-Storefront-Signature: $SIG" -d "$BODY"
                  curl -s -X POST {landscape.Sfcc.SlasAuthUrl}/token -u '{SandboxSfcc.SlasClientId}:{SandboxSfcc.SlasClientSecret}' -d 'grant_type=client_credentials&channel_id={SandboxSfcc.SiteId}'
                  curl -s -X POST {bridge}/login -H 'Authorization: Bearer <access_token from the line above (a SLAS guest)>'
                  curl -s {bridge}/sandbox
                =================================

                """);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
