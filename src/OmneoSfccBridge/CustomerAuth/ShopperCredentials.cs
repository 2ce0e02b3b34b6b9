namespace OmneoSfccBridge.CustomerAuth;

/// <summary>What a client presented in <c>Authorization</c>: shopper credentials or a shopper token.</summary>
internal abstract record ShopperCredentials
{
    public sealed record Password(string Login, string Secret) : ShopperCredentials;

    /// <param name="Raw">The token where the header holds it: a warm login looks its verdict up without copying it.</param>
    public sealed record Token(ReadOnlyMemory<char> Raw) : ShopperCredentials
    {
        /// <summary>The token as a string: a copy, made where one is needed.</summary>
        public string Value => Raw.ToString();
    }
}
