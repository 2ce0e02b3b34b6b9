using Microsoft.Extensions.Configuration;
using OmneoSfccBridge.Storage;

namespace OmneoSfccBridge.Tests.Storage;

public class StorageOptionsValidatorTests
{
    private static readonly StorageOptionsValidator Validator = new(new ConfigurationBuilder().Build());

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(Validator.Validate(null, new StorageOptions()).Succeeded);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(60_000)]
    public void Validate_QueuePollOutOfRange_NamesTheKey(int milliseconds)
    {
        var result = Validator.Validate(null, new StorageOptions { HangfireQueuePollMilliseconds = milliseconds });

        Assert.True(result.Failed);
        Assert.Contains($"Storage__HangfireQueuePollMilliseconds: must be between 50 and 10000 (was {milliseconds})", result.FailureMessage, StringComparison.Ordinal);
    }
}
