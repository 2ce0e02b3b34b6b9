namespace OmneoSfccBridge.Storage;

public enum StorageProvider
{
    Sqlite,
    Postgres,
}
