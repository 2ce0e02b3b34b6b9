namespace OmneoSfccBridge.CustomerAuth;

/// <summary>What a client presented in <c>Authorization</c>: shopper credentials or a shopper token.</summary>
internal abstract record ShopperCredentials
{
    public sealed record Password(string Login, string Secret) : ShopperCredentials;

    public sealed record Token(string Value) : ShopperCredentials;
}
