namespace OmneoSfccBridge.Storage;

/// <summary>
/// One SFCC customer (customer list + customer_no) linked to one Omneo profile; a profile is linked to at most one
/// customer of a list (a unique index, not just a check).
/// </summary>
/// <param name="CustomerListId">The SFCC customer list.</param>
/// <param name="CustomerNo">The SFCC customer number.</param>
/// <param name="SfccCustomerId">The customer's SFCC customer_id, once a login has shown it.</param>
/// <param name="ProfileId">The linked Omneo profile.</param>
/// <param name="MatchSource">How the link was made: identity, email, created, email-verified, merge.</param>
/// <param name="CreatedAt">When the link was made.</param>
/// <param name="UpdatedAt">When it last changed.</param>
/// <param name="LastRefreshedAt">When the sync last brought the profile in step.</param>
/// <param name="SfccStateHash">The hash of the SFCC state last synced.</param>
/// <param name="EmailWithheld">
/// The profile was created without the customer's email because another profile has it and the match was not safe to
/// link (only a candidate); the sync keeps the email out of Omneo until the conversion completes.
/// </param>
public sealed record CustomerLink(
    string CustomerListId,
    string CustomerNo,
    string? SfccCustomerId,
    string ProfileId,
    string MatchSource,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastRefreshedAt,
    string? SfccStateHash,
    bool EmailWithheld = false);
