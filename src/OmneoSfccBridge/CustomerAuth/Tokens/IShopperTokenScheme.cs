namespace OmneoSfccBridge.CustomerAuth.Tokens;

/// <summary>One kind of shopper token (OCAPI JWT now, SLAS next): recognises its tokens and validates them.</summary>
internal interface IShopperTokenScheme
{
    string Name { get; }

    /// <summary>Whether this scheme owns the token, judged from its unverified header and claims.</summary>
    bool Recognises(CompactJwt jwt);

    Task<TokenCheck> ValidateAsync(CompactJwt jwt, CancellationToken cancellationToken);
}
