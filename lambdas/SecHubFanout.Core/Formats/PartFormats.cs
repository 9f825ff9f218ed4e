namespace SecHubFanout.Core.Formats;

/// <summary>The output formats by name (<c>parquet</c>, <c>jsonl</c>), for the command line and the Lambda configuration.</summary>
public static class PartFormats
{
    private static readonly IPartFormat[] _all = [new ParquetPartFormat(), new JsonlGzPartFormat()];

    /// <summary>The valid format names, default first.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. _all.Select(f => f.Name)];

    /// <summary>The format named <paramref name="name"/> (case-insensitive), with default options.</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>; the message lists the valid names.</exception>
    public static IPartFormat Get(string name)
    {
        if (TryGet(name, out var format))
        {
            return format;
        }

        throw new ArgumentException($"Unknown format '{name}'. Valid formats: {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>The format named <paramref name="name"/> for the findings of <paramref name="api"/> (Parquet parts of V2 hold the OCSF columns).</summary>
    public static IPartFormat Get(string name, Queries.FindingsApi api)
    {
        var format = Get(name);
        return api == Queries.FindingsApi.V2 && format is ParquetPartFormat parquet ? parquet.WithTable(Schema.FindingTable.Ocsf) : format;
    }

    /// <summary>Looks a format up by name (case-insensitive).</summary>
    public static bool TryGet(string? name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPartFormat? format)
    {
        format = _all.FirstOrDefault(f => string.Equals(f.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));
        return format is not null;
    }
}
