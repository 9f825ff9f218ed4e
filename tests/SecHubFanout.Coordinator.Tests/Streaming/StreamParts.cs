using Parquet;

namespace SecHubFanout.Coordinator.Tests.Streaming;

/// <summary>Reads stored Parquet parts back: every row's id, finding JSON and source columns.</summary>
internal static class StreamParts
{
    public sealed record Row(string Key, string Id, string Finding, string SourceAccountId, string SourceRegion);

    public static async Task<List<Row>> ReadAsync(IEnumerable<KeyValuePair<string, byte[]>> objects, CancellationToken cancellationToken)
    {
        var rows = new List<Row>();
        foreach (var (key, bytes) in objects)
        {
            using var body = new MemoryStream(bytes);
            await using var reader = await ParquetReader.CreateAsync(body, cancellationToken: cancellationToken);
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var rowGroup = reader.OpenRowGroupReader(g);
                var count = (int)rowGroup.RowCount;
                async Task<string?[]> Column(string name)
                {
                    var values = new string?[count];
                    await rowGroup.ReadAsync(reader.Schema.DataFields.Single(f => f.Name == name), values.AsMemory(), null, cancellationToken);
                    return values;
                }

                var ids = await Column("id");
                var findings = await Column("finding");
                var accounts = await Column("source_account_id");
                var regions = await Column("source_region");
                for (var i = 0; i < count; i++)
                {
                    rows.Add(new Row(key, ids[i]!, findings[i]!, accounts[i]!, regions[i]!));
                }
            }
        }

        return rows;
    }
}
