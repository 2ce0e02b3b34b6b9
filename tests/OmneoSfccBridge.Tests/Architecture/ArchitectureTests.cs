using ArchUnitNET.Domain;
using ArchUnitNET.Loader;

namespace OmneoSfccBridge.Tests.Architecture;

/// <summary>
/// The service's folders (top-level namespaces) depend one way, from the endpoints' features down to the shared kernel.
/// A type may use its own folder and any folder on a lower layer; a reference sideways or upwards fails here, naming
/// both types, so a cycle cannot come back unnoticed. README's "How the code is organised" draws the same layers.
/// </summary>
public sealed class ArchitectureTests
{
    /// <summary>Lowest first. Folders on one layer do not use each other.</summary>
    internal static readonly string[][] Layers =
    [
        ["Operations"],
        ["Admin", "BrowserCallers"],
        ["Observability"],
        ["Storage", "Upstreams"],
        ["Profiles"],
        ["Sync"],
        ["CustomerAuth", "Webhooks"],
        ["CustomerRegistration"],
        ["Limits"],
    ];

    private static readonly Lazy<ArchUnitNET.Domain.Architecture> Service = new(() =>
        new ArchLoader().LoadAssemblies(typeof(Program).Assembly).Build());

    [Fact]
    public void Every_folder_of_the_service_has_a_layer()
    {
        var unplaced = ServiceTypes().Select(Folder).Where(folder => folder is not null && Layer(folder) < 0).Distinct().Order().ToList();

        Assert.True(unplaced.Count == 0, $"Add these folders to {nameof(Layers)} (and README's graph): {string.Join(", ", unplaced)}");
    }

    [Fact]
    public void Folders_depend_only_on_lower_layers()
    {
        var wrongWay = (
            from type in ServiceTypes()
            let user = Folder(type)
            where user is not null
            from dependency in type.Dependencies
            let used = Folder(dependency.Target)
            where used is not null && used != user && Layer(used) >= Layer(user)
            select $"{user} → {used}: {type.FullName} uses {dependency.Target.FullName}")
            .Distinct().Order().ToList();

        Assert.True(wrongWay.Count == 0, "Wrong-way or sideways references between folders:\n" + string.Join("\n", wrongWay));
    }

    [Fact]
    public void The_dependency_analysis_sees_references_in_method_bodies_and_signatures()
    {
        // Guards the two rules above against passing vacuously: these references are known to exist.
        var seen = (
            from type in ServiceTypes()
            let user = Folder(type)
            from dependency in type.Dependencies
            let used = Folder(dependency.Target)
            where user is not null && used is not null && used != user
            select $"{user} → {used}").ToHashSet();

        Assert.Contains("CustomerAuth → Profiles", seen);
        Assert.Contains("Sync → Storage", seen);
        Assert.Contains("Webhooks → Sync", seen);
    }

    [Fact]
    public void Every_top_level_type_of_the_service_has_a_file_named_after_it_in_its_folder()
    {
        var source = Path.Combine(Infrastructure.Repository.Root, "src", "OmneoSfccBridge");
        var missing = typeof(Program).Assembly.GetTypes()
            .Where(type => !type.IsNested && type.Namespace?.StartsWith("OmneoSfccBridge", StringComparison.Ordinal) == true && !type.Name.Contains('<', StringComparison.Ordinal))
            .Select(type => (Type: type, File: Path.Combine([source, .. type.Namespace!.Split('.').Skip(1), type.Name.Split('`')[0] + ".cs"])))
            .Where(t => !File.Exists(t.File))
            .Select(t => $"{t.Type.FullName}: expected {Path.GetRelativePath(Infrastructure.Repository.Root, t.File)}")
            .Order().ToList();

        Assert.True(missing.Count == 0, "One type per file, the file named after the type, in its namespace's folder:\n" + string.Join("\n", missing));
    }

    private static IEnumerable<IType> ServiceTypes() =>
        Service.Value.Types.Where(type => type.Assembly.FullName == typeof(Program).Assembly.FullName);

    /// <summary>The top-level folder under <c>OmneoSfccBridge.</c>, or null for the host's own types and other assemblies'.</summary>
    private static string? Folder(IType type) =>
        type.Namespace?.FullName is { } name && name.StartsWith("OmneoSfccBridge.", StringComparison.Ordinal)
            ? name["OmneoSfccBridge.".Length..].Split('.')[0]
            : null;

    private static int Layer(string folder) => Array.FindIndex(Layers, layer => layer.Contains(folder));
}
