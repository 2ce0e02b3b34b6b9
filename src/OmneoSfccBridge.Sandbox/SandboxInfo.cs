namespace OmneoSfccBridge.Sandbox;

/// <summary>
/// What the sandbox tells a newcomer (and the reference cartridge's tests) at <c>GET /sandbox</c>. <c>slas_auth_url</c> is the
/// simulated SLAS's <c>.../oauth2</c> root: <c>/token</c> issues guest tokens, <c>/trusted-system/token</c> registered ones
/// (see <see cref="SandboxSfcc"/>), with <c>slas_client_id:slas_client_secret</c> as Basic client credentials and
/// <c>channel_id</c> = <c>site_id</c>.
/// </summary>
public sealed record SandboxInfo(
    string SfccShopUrl,
    string SfccClientId,
    string OmneoUrl,
    IReadOnlyList<SandboxDemoCustomer> DemoCustomers,
    string SiteId,
    string SlasAuthUrl,
    string SlasClientId,
    string SlasClientSecret);
