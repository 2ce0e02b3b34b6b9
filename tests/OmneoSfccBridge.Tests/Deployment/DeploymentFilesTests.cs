using System.Text.RegularExpressions;
using OmneoSfccBridge.Tests.Infrastructure;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace OmneoSfccBridge.Tests.Deployment;

/// <summary>
/// deploy/: the compose file, the env example and the Kubernetes manifests agree with each other and with the README.
/// No schema validator for Compose or Kubernetes installs from the registries here, so they are parsed as YAML and
/// the fields an operator relies on are checked.
/// </summary>
public sealed partial class DeploymentFilesTests
{
    private static readonly string Deploy = Path.Combine(Repository.Root, "deploy");

    private static Dictionary<object, object> Yaml(params string[] path)
    {
        using var reader = new StringReader(File.ReadAllText(Path.Combine([Deploy, .. path])));
        return (Dictionary<object, object>)new DeserializerBuilder().Build().Deserialize<object>(new MergingParser(new Parser(reader)))!;
    }

    private static Dictionary<object, object> Map(object? node, string key) => (Dictionary<object, object>)((Dictionary<object, object>)node!)[key];

    private static List<object> List(object? node, string key) => (List<object>)((Dictionary<object, object>)node!)[key];

    private static string Scalar(object? node, string key) => (string)((Dictionary<object, object>)node!)[key];

    /// <summary>Every key in the first column of README's Configuration table (list keys as their <c>__0</c>, patterns as their prefix).</summary>
    private static List<string> ReadmeConfigurationKeys()
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));
        var section = readme[readme.IndexOf("## Configuration", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        return [.. section.Split('\n')
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .SelectMany(line => KeyInCell().Matches(line.Split('|')[1]).Select(m => m.Groups[1].Value))
            .Select(key => key.Contains('<', StringComparison.Ordinal) ? key[..key.IndexOf('<', StringComparison.Ordinal)] : key)
            .Distinct()];
    }

    private static Dictionary<string, string> EnvExample(out List<string> lines)
    {
        lines = [.. File.ReadAllLines(Path.Combine(Deploy, "bridge.env.example"))];
        return lines.Select(l => l.TrimStart('#', ' ')).Where(l => EnvLine().IsMatch(l))
            .Select(l => l.Split('=', 2)).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.First()[1]);
    }

    [Fact]
    public void EnvExample_ListsEverySettingOfTheReadme_EachWithACommentAbove()
    {
        var settings = EnvExample(out var lines);

        var missing = ReadmeConfigurationKeys().Where(key => !settings.Keys.Any(k => k == key || (key.EndsWith("__", StringComparison.Ordinal) && k.StartsWith(key, StringComparison.Ordinal)))).ToList();
        Assert.True(missing.Count == 0, "deploy/bridge.env.example lacks: " + string.Join(", ", missing));
        for (var i = 0; i < lines.Count; i++)
        {
            if (EnvLine().IsMatch(lines[i].TrimStart('#', ' ')) && !lines[i].StartsWith('#'))
            {
                Assert.True(i > 0 && lines[i - 1].StartsWith('#'), $"bridge.env.example line {i + 1} ({lines[i].Split('=')[0]}) has no comment above it.");
            }
        }
    }

    [Fact]
    public void EnvExample_HoldsPlaceholdersOnly()
    {
        var settings = EnvExample(out var lines);
        var secretKeys = settings.Keys.Where(k => Regex.IsMatch(k, "Secret|Password|ApiToken|ApiKey|PASSWORD", RegexOptions.None, TimeSpan.FromSeconds(1)));

        Assert.All(lines.Where(l => !l.StartsWith('#') && l.Contains('=', StringComparison.Ordinal)), l =>
        {
            var (key, value) = (l.Split('=', 2)[0], l.Split('=', 2)[1]);
            Assert.True(!secretKeys.Contains(key) || value.StartsWith("change-me", StringComparison.Ordinal), $"{key} holds a value that is not a placeholder.");
            Assert.DoesNotContain('"', value);
        });
    }

    [Fact]
    public void Compose_TwoBridgesOnOnePostgresBehindTheProxy_WithHealthChecksAndSecretsFromTheEnvFile()
    {
        var compose = Yaml("compose.yaml");
        var services = Map(compose, "services");
        var proxy = services["proxy"];
        var proxyAddress = Scalar(Map(Map(proxy, "networks"), "bridge"), "ipv4_address");

        Assert.Equal(["bridge-1", "bridge-2", "postgres", "proxy"], services.Keys.Cast<string>().Order());
        Assert.Contains("pg_isready", List(Map(services["postgres"], "healthcheck"), "test").Cast<string>());
        Assert.Matches(@"^\$\{BRIDGE_DB_PASSWORD:\?", Scalar(Map(services["postgres"], "environment"), "POSTGRES_PASSWORD"));
        foreach (var name in new[] { "bridge-1", "bridge-2" })
        {
            var bridge = services[name];
            var environment = Map(bridge, "environment");
            Assert.Equal(["bridge.env"], List(bridge, "env_file").Cast<string>());
            Assert.Equal("Postgres", Scalar(environment, "Storage__Provider"));
            Assert.Matches(@"^Host=postgres;.*Password=\$\{BRIDGE_DB_PASSWORD:\?", Scalar(environment, "ConnectionStrings__Bridge"));
            Assert.Equal(proxyAddress, Scalar(environment, "ForwardedHeaders__KnownProxies__0"));
            Assert.Contains("http://127.0.0.1:8080/health/ready", List(Map(bridge, "healthcheck"), "test").Cast<string>());
            Assert.Equal("service_healthy", Scalar(Map(Map(bridge, "depends_on"), "postgres"), "condition"));
            Assert.Equal("true", Scalar(bridge, "read_only"));
            Assert.Contains("/tmp", List(bridge, "tmpfs").Cast<string>());
            Assert.Equal("service_healthy", Scalar(Map(Map(proxy, "depends_on"), name), "condition"));
        }

        Assert.NotNull(Map(proxy, "healthcheck"));
        var nginx = File.ReadAllText(Path.Combine(Deploy, "nginx.conf"));
        Assert.Contains("server bridge-1:8080", nginx, StringComparison.Ordinal);
        Assert.Contains("server bridge-2:8080", nginx, StringComparison.Ordinal);
        Assert.Contains("proxy_set_header X-Forwarded-For $remote_addr;", nginx, StringComparison.Ordinal);
        Assert.Contains("location = /proxy-health", nginx, StringComparison.Ordinal);
    }

    [Fact]
    public void Kubernetes_Deployment_TwoReplicasProbedHardenedAndFedFromTheSecret()
    {
        var deployment = Yaml("kubernetes", "deployment.yaml");
        var spec = Map(deployment, "spec");
        var pod = Map(Map(spec, "template"), "spec");
        var container = (Dictionary<object, object>)Assert.Single(List(pod, "containers"));
        var podSecurity = Map(pod, "securityContext");
        var security = Map(container, "securityContext");
        var portName = Scalar(Assert.Single(List(container, "ports")), "name");

        Assert.Equal("Deployment", Scalar(deployment, "kind"));
        Assert.Equal("2", Scalar(spec, "replicas"));
        Assert.Equal("/health/ready", Scalar(Map(Map(container, "readinessProbe"), "httpGet"), "path"));
        Assert.Equal("/health/live", Scalar(Map(Map(container, "livenessProbe"), "httpGet"), "path"));
        Assert.Equal(portName, Scalar(Map(Map(container, "readinessProbe"), "httpGet"), "port"));
        Assert.Equal("8080", Scalar(Assert.Single(List(container, "ports")), "containerPort"));
        var requests = Map(Map(container, "resources"), "requests");
        Assert.True(requests.ContainsKey("cpu") && requests.ContainsKey("memory"));
        Assert.Equal("true", Scalar(podSecurity, "runAsNonRoot"));
        Assert.Equal(DockerfileUid(), Scalar(podSecurity, "runAsUser"));
        Assert.Equal("true", Scalar(security, "readOnlyRootFilesystem"));
        Assert.Equal("false", Scalar(security, "allowPrivilegeEscalation"));
        Assert.Contains("ALL", List(Map(security, "capabilities"), "drop").Cast<string>());

        var tmp = Assert.Single(List(container, "volumeMounts").Cast<Dictionary<object, object>>(), m => Scalar(m, "mountPath") == "/tmp");
        var volume = Assert.Single(List(pod, "volumes").Cast<Dictionary<object, object>>(), v => Scalar(v, "name") == Scalar(tmp, "name"));
        Assert.True(volume.ContainsKey("emptyDir"));

        var secretName = Scalar(Map(List(container, "envFrom").Cast<Dictionary<object, object>>().Single(e => e.ContainsKey("secretRef")), "secretRef"), "name");
        var configMapName = Scalar(Map(List(container, "envFrom").Cast<Dictionary<object, object>>().Single(e => e.ContainsKey("configMapRef")), "configMapRef"), "name");
        var secret = Yaml("kubernetes", "secret.example.yaml");
        Assert.Equal(secretName, Scalar(Map(secret, "metadata"), "name"));
        Assert.All(Map(secret, "stringData").Where(e => Regex.IsMatch((string)e.Key, "Secret|Password|ApiToken|ApiKey|ConnectionStrings", RegexOptions.None, TimeSpan.FromSeconds(1))),
            e => Assert.Contains("change-me", (string)e.Value, StringComparison.Ordinal));
        var configMap = Yaml("kubernetes", "configmap.yaml");
        Assert.Equal(configMapName, Scalar(Map(configMap, "metadata"), "name"));
        Assert.Equal("Postgres", Scalar(Map(configMap, "data"), "Storage__Provider"));
    }

    [Fact]
    public void Kubernetes_ServiceAndDisruptionBudget_SelectTheDeploymentsPods_AndKustomizeAppliesThem()
    {
        var deployment = Yaml("kubernetes", "deployment.yaml");
        var podLabels = Map(Map(Map(deployment, "spec"), "template"), "metadata")["labels"];
        var service = Yaml("kubernetes", "service.yaml");
        var budget = Yaml("kubernetes", "poddisruptionbudget.yaml");
        var kustomization = Yaml("kubernetes", "kustomization.yaml");

        Assert.Equal("Service", Scalar(service, "kind"));
        Assert.Equivalent(Map(Map(service, "spec"), "selector"), podLabels);
        Assert.Equal("http", Scalar(Assert.Single(List(Map(service, "spec"), "ports")), "targetPort"));
        Assert.Equal("PodDisruptionBudget", Scalar(budget, "kind"));
        Assert.Equal("policy/v1", Scalar(budget, "apiVersion"));
        Assert.Equivalent(Map(Map(Map(budget, "spec"), "selector"), "matchLabels"), podLabels);
        Assert.InRange(int.Parse(Scalar(Map(budget, "spec"), "minAvailable"), System.Globalization.CultureInfo.InvariantCulture), 1, int.Parse(Scalar(Map(deployment, "spec"), "replicas"), System.Globalization.CultureInfo.InvariantCulture) - 1);
        Assert.Equal(["configmap.yaml", "deployment.yaml", "poddisruptionbudget.yaml", "service.yaml"], List(kustomization, "resources").Cast<string>().Order());
    }

    [Fact]
    public void Readme_DeploymentSection_UsesTheDeployFolder()
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));

        Assert.Contains("docker compose --env-file bridge.env up", readme, StringComparison.Ordinal);
        Assert.Contains("docker compose --env-file bridge.env up", File.ReadAllText(Path.Combine(Deploy, "compose.yaml")), StringComparison.Ordinal);
        Assert.Contains("--env-file deploy/bridge.env", readme, StringComparison.Ordinal);
        Assert.Contains("kubectl apply -k deploy/kubernetes", readme, StringComparison.Ordinal);
        Assert.Contains("--from-env-file=bridge.env", File.ReadAllText(Path.Combine(Deploy, "kubernetes", "secret.example.yaml")), StringComparison.Ordinal);
    }

    private static string DockerfileUid() =>
        Regex.Match(File.ReadAllText(Path.Combine(Repository.Root, "Dockerfile")), @"--uid (\d+)", RegexOptions.None, TimeSpan.FromSeconds(1)).Groups[1].Value;

    [GeneratedRegex(@"`([A-Za-z]+__[A-Za-z0-9_<>]+)`")]
    private static partial Regex KeyInCell();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*=")]
    private static partial Regex EnvLine();
}
