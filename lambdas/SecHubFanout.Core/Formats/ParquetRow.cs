namespace SecHubFanout.Core.Formats;

/// <summary>Everything one row is made of: the extracted fields, the part's context, and the finding's text.</summary>
internal readonly record struct ParquetRow(FindingFields Fields, PartContext Context, ReadOnlyMemory<char> Json);
