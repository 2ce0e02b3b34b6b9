using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Upstreams;
using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.Admin;

/// <summary>A link as support sees it: who is linked to what, since when, and every decision taken about it.</summary>
/// <param name="Link">The Omneo profile the customer is linked to, when linked.</param>
/// <param name="History">Every decision taken about the customer, oldest first.</param>
/// <param name="Conversion">The guest registration that created the customer, when the bridge made it.</param>
/// <param name="Candidates">Omneo profiles that matched but were not linked, and why (open ones first).</param>
public sealed record CustomerLinkView(CustomerLink? Link, IReadOnlyList<AuditEvent> History, Conversion? Conversion = null, IReadOnlyList<LinkCandidate>? Candidates = null);

/// <summary>The one-off check of links made before one profile could hold only one customer.</summary>
/// <param name="CustomerListId">The SFCC customer list checked.</param>
/// <param name="Conflicts">Links set aside because their profile was linked to another customer too; empty when none.</param>
public sealed record LinkConflictsView(string CustomerListId, IReadOnlyList<LinkConflict> Conflicts);

internal static class AdminEndpoints
{
    public static WebApplicationBuilder AddAdmin(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>();
        builder.Services.AddSingleton<AdminKey>();
        builder.Services.AddSingleton<DashboardSession>();
        builder.Services.AddSingleton<AdminKeyDashboardFilter>();
        return builder;
    }

    public static WebApplication MapAdminEndpoints(this WebApplication app)
    {
        var admin = app.MapGroup("/admin").WithTags("Admin").AddEndpointFilter<AdminKeyFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        admin.MapGet("/customers/{customerNo}", GetCustomerAsync).WithName("GetCustomerLink");
        admin.MapGet("/links/conflicts", GetLinkConflictsAsync).WithName("GetLinkConflicts");

        app.MapDashboardSignIn();
        app.MapHangfireDashboard(DashboardSignIn.DashboardPath, new DashboardOptions
        {
            Authorization = [app.Services.GetRequiredService<AdminKeyDashboardFilter>()],
            DisplayStorageConnectionString = false,
        });
        return app;
    }

    /// <summary>The link and audit trail of one SFCC customer of the configured customer list.</summary>
    internal static async Task<Results<Ok<CustomerLinkView>, ProblemHttpResult>> GetCustomerAsync(
        string customerNo,
        CustomerLinkStore links,
        AuditLog audit,
        ConversionLog conversions,
        LinkCandidates candidates,
        IOptions<SfccOptions> sfcc,
        CancellationToken cancellationToken)
    {
        if (!UpstreamIdentifier.IsValid(customerNo))
        {
            return TypedResults.Problem("A customer number is 1 to 64 letters, digits, '.', '_' or '-'.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid customer number");
        }

        var listId = sfcc.Value.CustomerListId;
        var link = await links.FindAsync(listId, customerNo, cancellationToken);
        var history = await audit.ForCustomerAsync(listId, customerNo, cancellationToken);
        var conversion = await conversions.FindAsync(listId, customerNo, cancellationToken);
        var matches = await candidates.ForCustomerAsync(listId, customerNo, cancellationToken);
        return link is null && history.Count == 0 && conversion is null && matches.Count == 0
            ? TypedResults.Problem($"The bridge knows nothing of SFCC customer {customerNo}.", statusCode: StatusCodes.Status404NotFound, title: "Unknown customer")
            : TypedResults.Ok(new CustomerLinkView(link, history, conversion, matches));
    }

    /// <summary>
    /// Profiles that were linked to two customers before the store enforced one customer per profile: the migration
    /// kept the earliest link and set the others aside; support decides what each set-aside customer should have.
    /// </summary>
    internal static async Task<Ok<LinkConflictsView>> GetLinkConflictsAsync(CustomerLinkStore links, IOptions<SfccOptions> sfcc, CancellationToken cancellationToken)
    {
        var listId = sfcc.Value.CustomerListId;
        return TypedResults.Ok(new LinkConflictsView(listId, await links.ConflictsAsync(listId, cancellationToken)));
    }
}
