using System.Text.Json;
using OmneoSfccBridge.Tests.Infrastructure;
using YamlDotNet.Serialization;

namespace OmneoSfccBridge.Tests.Contract;

/// <summary>cartridge-contract/openapi.yaml is the source of truth for what a cartridge calls; the service must agree.</summary>
public sealed class OpenApiContractTests(BridgeFixture fixture) : IClassFixture<BridgeFixture>
{
    public static TheoryData<string> ContractPaths()
    {
        var data = new TheoryData<string>();
        foreach (var path in Contract().GetProperty("paths").EnumerateObject())
        {
            data.Add(path.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ContractPaths))]
    public async Task ServiceOpenApi_ContractPath_HasTheSameOperationsStatusesAndFields(string path)
    {
        var contract = Contract();
        var service = await (await fixture.Bridge.CreateClient().GetAsync("/openapi/v1.json")).JsonAsync();

        Assert.True(service.GetProperty("paths").TryGetProperty(path, out var servicePath), $"The service does not serve {path}.");
        foreach (var operation in contract.GetProperty("paths").GetProperty(path).EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "delete"))
        {
            Assert.True(servicePath.TryGetProperty(operation.Name, out var serviceOperation), $"The service lacks {operation.Name} {path}.");
            var contractStatuses = operation.Value.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order().ToList();
            var serviceStatuses = serviceOperation.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order().ToList();
            Assert.Equal(contractStatuses, serviceStatuses);

            foreach (var status in contractStatuses.Where(s => s.StartsWith('2')))
            {
                var contractFields = Fields(contract, operation.Value.GetProperty("responses").GetProperty(status));
                var serviceFields = Fields(service, serviceOperation.GetProperty("responses").GetProperty(status));
                Assert.Equal(contractFields, serviceFields);
            }
        }
    }

    private static JsonElement Contract()
    {
        var yaml = new DeserializerBuilder().Build().Deserialize<object>(File.ReadAllText(Path.Combine(Repository.Root, "cartridge-contract", "openapi.yaml")));
        var json = new SerializerBuilder().JsonCompatible().Build().Serialize(yaml);
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    /// <summary>The property names of a response's JSON schema, following <c>$ref</c>s.</summary>
    private static List<string> Fields(JsonElement document, JsonElement response)
    {
        var schema = Resolve(document, response.GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        return [.. schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order()];
    }

    private static JsonElement Resolve(JsonElement document, JsonElement schema)
    {
        while (schema.TryGetProperty("$ref", out var reference))
        {
            schema = reference.GetString()!.TrimStart('#', '/').Split('/').Aggregate(document, (node, part) => node.GetProperty(part));
        }

        return schema;
    }
}
