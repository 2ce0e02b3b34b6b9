namespace OmneoSfccBridge.CustomerAuth.Storefront;

/// <summary>Why a storefront login was refused; all read the same to the caller, only the log tells them apart.</summary>
internal enum StorefrontRefusal
{
    None,
    UnknownKey,
    BadSignature,
    NotTheTwoMembers,
    StaleTimestamp,
    UnsafeCustomerNo,
    UnknownCustomer,
}
