namespace SecHubFanout.Core.Schema;

/// <summary>One column of the export: its name, type, and where its value comes from.</summary>
/// <param name="Name">The column name (snake_case, as Athena and DuckDB see it).</param>
/// <param name="Type">The logical type.</param>
/// <param name="Source">The ASFF JSON path it is read from, or a description of the export metadata it holds.</param>
public sealed record ColumnDefinition(string Name, ColumnType Type, string Source);
