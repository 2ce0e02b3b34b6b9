namespace OmneoSfccBridge.Upstreams.Sfcc;

public sealed class SfccCustomerHit
{
    public SfccCustomer? Data { get; init; }
}
