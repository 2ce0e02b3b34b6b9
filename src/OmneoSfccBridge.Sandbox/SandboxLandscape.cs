using System.Security.Cryptography;

namespace OmneoSfccBridge.Sandbox;

/// <summary>The demo landscape: a simulated SFCC and Omneo with a few customers, for trying the bridge on a fresh machine.</summary>
public sealed class SandboxLandscape : IDisposable
{
    public const string DemoPassword = "Sandbox-Pass1!";

    public SandboxLandscape(TimeProvider time)
    {
        Sfcc = new SandboxSfcc(time);
        Omneo = new SandboxOmneo(time);

        // alice: linked in Omneo already (identity sfcc = her customer_no); bob: his email is verified in SFCC and an
        // earlier Omneo profile has it (linked at first login); dave: no Omneo profile yet (created at first login);
        // fran: an earlier Omneo profile has her email but SFCC has not verified it (a candidate only: she gets her
        // own profile, without the email, until c_emailVerified turns true); carol: only in Omneo.
        // They were last changed a day before the sandbox started: the sandbox's delta starts from its start time, so
        // it leaves them alone until the walkthrough changes them (see AddSandbox).
        var before = time.GetUtcNow().AddDays(-1);
        var alice = Sfcc.AddCustomer("alice@example.com", DemoPassword, "Alice", "Archer", "+61400000001", "1990-04-21", before).WithEmailVerified(true);
        var bob = Sfcc.AddCustomer("bob@example.com", DemoPassword, "Bob", "Baker", at: before).WithEmailVerified(true);
        var dave = Sfcc.AddCustomer("dave@example.com", DemoPassword, "Dave", "Diaz", at: before);
        var fran = Sfcc.AddCustomer("fran@example.com", DemoPassword, "Fran", "Fox", at: before).WithEmailVerified(false);
        Omneo.AddProfile(alice.Email, "Alice", "Archer", alice.CustomerNo);
        Omneo.AddProfile(bob.Email, "Bob", "Baker");
        Omneo.AddProfile("carol@example.com", "Carol", "Chen");
        Omneo.AddProfile(fran.Email, "Fran", "Fox");
        DemoCustomers = [alice, bob, dave, fran];
    }

    public SandboxSfcc Sfcc { get; }

    public SandboxOmneo Omneo { get; }

    public IReadOnlyList<SandboxCustomer> DemoCustomers { get; }

    /// <summary>Whether the sandbox made up the admin key (none was configured); it is then printed once at start-up.</summary>
    public bool AdminKeyGenerated { get; set; }

    /// <summary>The bridge configuration that points it at this landscape.</summary>
    public Dictionary<string, string?> Configuration(string? adminKey)
    {
        var settings = UpstreamSettings(Sfcc, Omneo);
        settings["Sfcc:OcapiTokenSigningKey"] = Sfcc.PublicKeyPem;
        settings["Admin:ApiKey"] = adminKey;
        settings["Omneo:WebhookSecret"] = WebhookSecret;
        settings["Profiles:EmailVerifiedAttribute"] = SandboxSfcc.EmailVerifiedAttribute;
        settings["Slas:OrganizationId"] = SandboxSfcc.SlasOrganizationId;
        settings["Slas:BaseUrl"] = Sfcc.Url;
        settings["Slas:ClientIds:0"] = SandboxSfcc.SlasClientId;
        return settings;
    }

    /// <summary>The bridge configuration that points it at a simulated SFCC and Omneo (also used by tests and benchmarks).</summary>
    public static Dictionary<string, string?> UpstreamSettings(SandboxSfcc sfcc, SandboxOmneo omneo) => new()
    {
        ["Sfcc:InstanceUrl"] = sfcc.Url,
        ["Sfcc:SiteId"] = SandboxSfcc.SiteId,
        ["Sfcc:OcapiVersion"] = SandboxSfcc.Version,
        ["Sfcc:ClientId"] = SandboxSfcc.ClientId,
        ["Sfcc:ClientSecret"] = SandboxSfcc.ClientSecret,
        ["Sfcc:CustomerListId"] = SandboxSfcc.CustomerList,
        ["Sfcc:AccountManagerTokenUrl"] = sfcc.Url + "/dw/oauth2/access_token",
        ["Omneo:BaseUrl"] = omneo.Url,
        ["Omneo:ApiToken"] = omneo.AdminToken,
        ["Omneo:ClientId"] = null,
        ["Omneo:ClientSecret"] = null,
    };

    /// <summary>The secret the simulated Omneo signs its webhooks with.</summary>
    public string WebhookSecret { get; } = "sandbox-webhook-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));

    public void Dispose()
    {
        Sfcc.Dispose();
        Omneo.Dispose();
    }
}
