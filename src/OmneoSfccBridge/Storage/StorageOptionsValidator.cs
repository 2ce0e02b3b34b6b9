using Microsoft.Extensions.Options;
using OmneoSfccBridge.Operations;

namespace OmneoSfccBridge.Storage;

internal sealed class StorageOptionsValidator(IConfiguration configuration) : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var errors = new ConfigErrors(StorageOptions.SectionName);
        if (!Enum.IsDefined(options.Provider))
        {
            errors.Add(nameof(options.Provider), "must be Sqlite or Postgres.");
        }

        if (options.Provider == StorageProvider.Postgres && string.IsNullOrWhiteSpace(configuration.GetConnectionString("Bridge")))
        {
            errors.Add(nameof(options.Provider), "is Postgres, so ConnectionStrings__Bridge is required.");
        }

        errors.RequireRange(nameof(options.WorkerCount), options.WorkerCount, 1, 32);
        errors.RequireRange(nameof(options.HangfireQueuePollMilliseconds), options.HangfireQueuePollMilliseconds, 50, 10_000);
        errors.RequireRange(nameof(options.LockTimeoutSeconds), options.LockTimeoutSeconds, 1, 300);
        return errors.ToResult();
    }
}
