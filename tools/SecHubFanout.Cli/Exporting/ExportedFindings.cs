using System.IO.Compression;
using System.Text.Json;
using Parquet;

namespace SecHubFanout.Cli.Exporting;

/// <summary>Reads back the finding IDs (ASFF Id, OCSF finding_info.uid) stored in one partition folder of an export (Parquet or JSONL.gz parts), to check an export against its source.</summary>
internal static class ExportedFindings
{
    /// <summary>Every finding ID in the parts below <paramref name="folder"/>, with how often each occurs (more than once is a duplicate).</summary>
    public static async Task<Dictionary<string, int>> ReadIdsAsync(string folder, CancellationToken cancellationToken)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        if (!Directory.Exists(folder))
        {
            return ids;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "part-*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var found = file.EndsWith(".parquet", StringComparison.Ordinal)
                ? await ReadParquetIdsAsync(file, cancellationToken).ConfigureAwait(false)
                : file.EndsWith(".jsonl.gz", StringComparison.Ordinal) ? await ReadJsonlIdsAsync(file, cancellationToken).ConfigureAwait(false) : [];
            foreach (var id in found)
            {
                ids[id] = ids.GetValueOrDefault(id) + 1;
            }
        }

        return ids;
    }

    private static async Task<List<string>> ReadParquetIdsAsync(string file, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await using var reader = await ParquetReader.CreateAsync(file, cancellationToken: cancellationToken).ConfigureAwait(false);
        // ASFF parts name the ID column id, OCSF parts finding_uid (finding_info.uid).
        var field = reader.Schema.DataFields.FirstOrDefault(f => f.Name is "id" or "finding_uid")
            ?? throw new InvalidDataException($"{file} has neither an 'id' nor a 'finding_uid' column.");
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var values = new string?[(int)group.RowCount];
            await group.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            ids.AddRange(values.Select(v => v ?? throw new InvalidDataException($"{file} has a row without an id.")));
        }

        return ids;
    }

    private static async Task<List<string>> ReadJsonlIdsAsync(string file, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        var stream = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length > 0)
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                ids.Add((root.TryGetProperty("Id", out var id) ? id : root.GetProperty("finding_info").GetProperty("uid")).GetString()!);
            }
        }

        return ids;
    }
}
