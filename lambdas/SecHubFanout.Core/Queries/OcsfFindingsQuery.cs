using System.Buffers;
using System.Text.Json;
using SecHubFanout.Core.Planning;

namespace SecHubFanout.Core.Queries;

/// <summary>
/// Builds the GetFindingsV2 body of one window: a composite filter for the window's <c>finding_info.modified_time_dt</c> range,
/// AND the user's composite filters (appended when they are ANDed, nested as one OR composite otherwise), sorted by
/// <c>finding_info.modified_time_dt</c> ascending; built once so every page of the window sends the same bytes.
/// </summary>
internal static class OcsfFindingsQuery
{
    public static ReadOnlyMemory<byte> Build(FindingFilters filters, UpdatedAtWindow window, int pageSize)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("Filters");
            writer.WriteStartArray("CompositeFilters");
            writer.WriteStartObject();
            writer.WriteStartArray("DateFilters");
            writer.WriteStartObject();
            writer.WriteString("FieldName", OcsfFilters.WindowField);
            writer.WriteStartObject("Filter");
            writer.WriteString("Start", UpdatedAtWindow.FormatInstant(window.Start));
            writer.WriteString("End", UpdatedAtWindow.FormatInstant(window.End));
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteString("Operator", "AND");
            writer.WriteEndObject();
            WriteUserComposites(writer, filters);
            writer.WriteEndArray();
            writer.WriteString("CompositeOperator", "AND");
            writer.WriteEndObject();

            FindingsQuery.WriteSortAndPageSize(writer, OcsfFilters.WindowField, pageSize);
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory.ToArray();
    }

    /// <summary>Writes the user's composites so that, next to others under AND, they mean what they meant alone.</summary>
    internal static void WriteUserComposites(Utf8JsonWriter writer, FindingFilters filters)
    {
        var composites = filters.Fields.FirstOrDefault(f => f.Key == "CompositeFilters").Value;
        if (composites.ValueKind != JsonValueKind.Array || composites.GetArrayLength() == 0)
        {
            return;
        }

        var op = filters.Fields.FirstOrDefault(f => f.Key == "CompositeOperator").Value;
        if (op.ValueKind == JsonValueKind.String && op.GetString() == "OR" && composites.GetArrayLength() > 1)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("NestedCompositeFilters");
            composites.WriteTo(writer);
            writer.WriteString("Operator", "OR");
            writer.WriteEndObject();
            return;
        }

        foreach (var composite in composites.EnumerateArray())
        {
            composite.WriteTo(writer);
        }
    }
}
