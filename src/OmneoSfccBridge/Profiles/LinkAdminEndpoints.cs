using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.Admin;
using OmneoSfccBridge.Storage;
using OmneoSfccBridge.Upstreams;
using OmneoSfccBridge.Upstreams.Sfcc;

namespace OmneoSfccBridge.Profiles;

/// <summary>Support's view of the links: one customer's link and history, and the links set aside as conflicts.</summary>
internal static class LinkAdminEndpoints
{
    public static WebApplication MapLinkAdminEndpoints(this WebApplication app)
    {
        var admin = app.MapGroup("/admin").WithTags("Admin").AddEndpointFilter<AdminKeyFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        admin.MapGet("/customers/{customerNo}", GetCustomerAsync).WithName("GetCustomerLink");
        admin.MapGet("/links/conflicts", GetLinkConflictsAsync).WithName("GetLinkConflicts");
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
