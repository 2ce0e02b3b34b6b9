using System.Text;
using Microsoft.Extensions.Options;
using OmneoSfccBridge.Operations;

namespace OmneoSfccBridge.CustomerRegistration;

internal sealed class RegistrationOptionsValidator : IValidateOptions<RegistrationOptions>
{
    public ValidateOptionsResult Validate(string? name, RegistrationOptions options)
    {
        var errors = new ConfigErrors(RegistrationOptions.SectionName);
        errors.RequireRange(nameof(options.MaxConcurrent), options.MaxConcurrent, 1, 1000);
        if (string.IsNullOrWhiteSpace(options.IdempotencySecret))
        {
            errors.Add(nameof(options.IdempotencySecret), $"is required (a random secret of at least {RegistrationOptions.MinSecretBytes} bytes, e.g. from 'openssl rand -base64 48').");
        }
        else if (Encoding.UTF8.GetByteCount(options.IdempotencySecret) < RegistrationOptions.MinSecretBytes)
        {
            errors.Add(nameof(options.IdempotencySecret), $"must be at least {RegistrationOptions.MinSecretBytes} bytes long.");
        }

        return errors.ToResult();
    }
}
