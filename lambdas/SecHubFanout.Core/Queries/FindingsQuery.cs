using System.Buffers;
using System.Text.Json;
using SecHubFanout.Core.Planning;

namespace SecHubFanout.Core.Queries;

/// <summary>
/// Builds the GetFindings body of one window (user filters AND the window's <c>UpdatedAt</c> range, sorted by <c>UpdatedAt</c>
/// ascending), once, so that every page of the window sends the same bytes (Security Hub rejects a token whose query changed).
/// GetFindingsV2 filters are built by <see cref="OcsfFindingsQuery"/> over <c>finding_info.modified_time_dt</c> instead.
/// </summary>
public static class FindingsQuery
{
    /// <summary>The most findings GetFindings returns in one page.</summary>
    public const int MaxPageSize = 100;

    /// <summary>Builds the UTF-8 JSON body for <paramref name="window"/>; the finding source adds <c>NextToken</c>.</summary>
    public static ReadOnlyMemory<byte> Build(FindingFilters filters, UpdatedAtWindow window, int pageSize)
    {
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, MaxPageSize);
        if (filters.Api == FindingsApi.V2)
        {
            return OcsfFindingsQuery.Build(filters, window, pageSize);
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("Filters");
            foreach (var field in filters.Fields)
            {
                writer.WritePropertyName(field.Key);
                writer.WriteRawValue(field.Value.GetRawText(), skipInputValidation: true);
            }

            writer.WriteStartArray(FindingFilters.WindowField);
            writer.WriteStartObject();
            writer.WriteString("Start", UpdatedAtWindow.FormatInstant(window.Start));
            writer.WriteString("End", UpdatedAtWindow.FormatInstant(window.End));
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();

            WriteSortAndPageSize(writer, FindingFilters.WindowField, pageSize);
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory.ToArray();
    }

    /// <summary>Writes <c>SortCriteria</c> (the window field, ascending) and <c>MaxResults</c>: the same for both APIs.</summary>
    internal static void WriteSortAndPageSize(Utf8JsonWriter writer, string windowField, int pageSize)
    {
        writer.WriteStartArray("SortCriteria");
        writer.WriteStartObject();
        writer.WriteString("Field", windowField);
        writer.WriteString("SortOrder", "asc");
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteNumber("MaxResults", pageSize);
    }
}
