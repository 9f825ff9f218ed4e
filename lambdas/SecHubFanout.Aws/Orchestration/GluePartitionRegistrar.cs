using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polly;
using SecHubFanout.Aws.Endpoints;
using SecHubFanout.Aws.Protocols;
using SecHubFanout.Core.Errors;
using SecHubFanout.Core.Orchestration;
using SecHubFanout.Core.Parts;
using SecHubFanout.Core.Queries;
using SecHubFanout.Core.Schema;

namespace SecHubFanout.Aws.Orchestration;

/// <summary>
/// Registers a finished (account, Region) of an export as a Glue partition (JSON 1.1): reads the table's storage descriptor once
/// (<c>GetTable</c>), then <c>BatchCreatePartition</c> with values (account_id, region, export_date, export_id) at
/// <see cref="PartKeys.PartitionPrefix(string, string, string, DateTimeOffset, Core.Queries.FindingsApi)"/> in the bucket; an existing partition counts as registered.
/// </summary>
public sealed class GluePartitionRegistrar : IPartitionRegistrar
{
    private readonly JsonProtocolClient _client;
    private readonly string _database;
    private readonly string _table;
    private readonly string _ocsfTable;
    private readonly string _bucket;
    private readonly string _region;
    private readonly ResiliencePipeline _retry;
    private readonly Dictionary<string, JsonObject> _tableDescriptors = new(StringComparer.Ordinal);

    /// <summary>
    /// Creates the registrar for a table over the findings bucket, in <paramref name="region"/>; partitions of GetFindingsV2 exports go to
    /// <paramref name="ocsfTable"/> (default <c>findings_ocsf</c>).
    /// </summary>
    public GluePartitionRegistrar(JsonProtocolClient client, string database, string table, string bucket, string region, ResiliencePipeline retry, string? ocsfTable = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        ArgumentException.ThrowIfNullOrWhiteSpace(bucket);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _database = database;
        _table = table;
        _ocsfTable = string.IsNullOrWhiteSpace(ocsfTable) ? FindingTable.Ocsf.Name : ocsfTable;
        _bucket = bucket;
        _region = region;
        _retry = retry ?? throw new ArgumentNullException(nameof(retry));
    }

    /// <inheritdoc/>
    public Task RegisterAsync(string exportId, string accountId, string region, DateTimeOffset exportEnd, CancellationToken cancellationToken) =>
        RegisterAsync(exportId, accountId, region, exportEnd, FindingsApi.V1, cancellationToken);

    /// <inheritdoc/>
    public async Task RegisterAsync(string exportId, string accountId, string region, DateTimeOffset exportEnd, FindingsApi api, CancellationToken cancellationToken)
    {
        // The one layout function the exporter writes its parts under; it also refuses values that would bend the path.
        var location = $"s3://{_bucket}/{PartKeys.PartitionPrefix(exportId, accountId, region, exportEnd, api)}";
        var date = exportEnd.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var table = api == FindingsApi.V2 ? _ocsfTable : _table;
        var descriptor = (JsonObject)(await TableDescriptorAsync(table, cancellationToken).ConfigureAwait(false)).DeepClone();
        descriptor["Location"] = location;
        var body = new JsonObject
        {
            ["DatabaseName"] = _database,
            ["TableName"] = table,
            ["PartitionInputList"] = new JsonArray(new JsonObject
            {
                ["Values"] = new JsonArray(accountId, region, date, exportId),
                ["StorageDescriptor"] = descriptor,
            }),
        };
        var answer = JsonNode.Parse(await InvokeAsync("BatchCreatePartition", body, cancellationToken).ConfigureAwait(false));
        foreach (var error in answer?["Errors"]?.AsArray() ?? [])
        {
            var code = error?["ErrorDetail"]?["ErrorCode"]?.GetValue<string>();
            if (code != "AlreadyExistsException")
            {
                throw new ServiceCallException(
                    ServiceErrorKind.InvalidInput,
                    $"Glue could not register partition {location} in {_database}.{table}: {code} {error?["ErrorDetail"]?["ErrorMessage"]?.GetValue<string>()}",
                    code);
            }
        }
    }

    private async Task<JsonObject> TableDescriptorAsync(string table, CancellationToken cancellationToken)
    {
        lock (_tableDescriptors)
        {
            if (_tableDescriptors.TryGetValue(table, out var cached))
            {
                return cached;
            }
        }

        var answer = JsonNode.Parse(await InvokeAsync("GetTable", new JsonObject { ["DatabaseName"] = _database, ["Name"] = table }, cancellationToken).ConfigureAwait(false));
        var descriptor = answer?["Table"]?["StorageDescriptor"]?.AsObject()
            ?? throw new ServiceCallException(ServiceErrorKind.NotFound, $"Glue table {_database}.{table} has no storage descriptor: deploy the central stack, which creates it");
        descriptor.Remove("Location");
        var copy = (JsonObject)descriptor.DeepClone();
        lock (_tableDescriptors)
        {
            _tableDescriptors[table] = copy;
        }

        return copy;
    }

    private async Task<byte[]> InvokeAsync(string operation, JsonObject body, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, JsonNodeContext.Default.JsonObject);
        var context = new AwsCallContext(AwsService.Glue, _region, operation);
        return await _retry.ExecuteAsync(async ct => await _client.InvokeAsync(context, bytes, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }
}
