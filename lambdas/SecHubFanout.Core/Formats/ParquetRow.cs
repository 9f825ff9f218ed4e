namespace SecHubFanout.Core.Formats;

/// <summary>Everything one row is made of: the extracted fields, the part's context, and the finding's UTF-8 JSON.</summary>
internal readonly record struct ParquetRow(FindingFields Fields, PartContext Context, ReadOnlyMemory<byte> Json)
{
    /// <summary>The OCSF values when the part is of <see cref="Schema.FindingTable.Ocsf"/>; null for ASFF parts.</summary>
    public OcsfFields? Ocsf { get; init; }
}
