namespace OmneoSfccBridge.Profiles;

/// <summary>Why <see cref="ProfileLinker"/> could not link a customer although Omneo answered.</summary>
internal enum LinkRefusal
{
    /// <summary>Omneo refused to create the customer's profile (a validation error other than the email).</summary>
    ProfileCreateRefused,

    /// <summary>Omneo refused to attach the SFCC identity to the matched profile: another profile holds it.</summary>
    IdentityHeldElsewhere,

    /// <summary>The customer_no cannot be put into an Omneo request (it came from SFCC unusable).</summary>
    InvalidCustomerNo,

    /// <summary>The profile just created was linked to another customer meanwhile (a race lost).</summary>
    NewProfileTaken,

    /// <summary>The earlier profile a withheld link was merged into was linked to another customer meanwhile (a race lost).</summary>
    EarlierProfileTaken,
}
