namespace OmneoSfccBridge.Tests.Infrastructure;

public static class Repository
{
    /// <summary>The repository root: the folder holding OmneoSfccBridge.sln above the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OmneoSfccBridge.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("OmneoSfccBridge.sln not found above " + AppContext.BaseDirectory);
    }
}
