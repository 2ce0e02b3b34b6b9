using Microsoft.Extensions.Options;

namespace OmneoSfccBridge.Storage;

internal static class StorageExtensions
{
    /// <summary>The default database: a SQLite file under ./data, created on first run.</summary>
    public const string DefaultSqliteConnectionString = "Data Source=data/bridge.db";

    /// <summary>The mapping store, on SQLite (default) or PostgreSQL; schema migrations run at start-up.</summary>
    public static WebApplicationBuilder AddStorage(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddSingleton(sp => new BridgeDatabase(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.Provider,
            ConnectionString(sp.GetRequiredService<IConfiguration>())));
        services.AddSingleton<CustomerLinkStore>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<WebhookEventStore>();
        services.AddSingleton<CustomerLocks>();
        services.AddExceptionHandler<CustomerLockProblemHandler>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        services.AddHostedService<SqliteProcessLock>();
        services.AddHostedService<DatabaseMigrator>();
        return builder;
    }

    /// <summary>The configured <c>ConnectionStrings__Bridge</c>, or the default SQLite file.</summary>
    internal static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Bridge") is { Length: > 0 } configured ? configured : DefaultSqliteConnectionString;
}
