using System.Globalization;
using System.Text;
using System.Text.Json;
using SecHubFanout.Core.Queries;

namespace SecHubFanout.Core.Findings;

/// <summary>
/// Reads the instant a finding's windows are cut on from its raw JSON, without reading anything else: <c>UpdatedAt</c> for
/// GetFindings (ASFF), <c>finding_info.modified_time_dt</c> for GetFindingsV2 (OCSF).
/// </summary>
public static class FindingInstants
{
    private static readonly byte[][] s_asffPath = PathOf(FindingsApi.V1);
    private static readonly byte[][] s_ocsfPath = PathOf(FindingsApi.V2);

    /// <summary>The finding's <c>UpdatedAt</c> (see <see cref="ReadWindowInstant(ReadOnlySpan{byte}, FindingsApi)"/>).</summary>
    public static DateTimeOffset? ReadWindowInstant(ReadOnlySpan<byte> finding) => ReadWindowInstant(finding, FindingsApi.V1);

    /// <summary>
    /// The instant of <paramref name="api"/>'s window field (any ISO 8601 spelling: fractional seconds, offsets), or null when it is
    /// missing, not a string, or not a date. Only the members on the field's path are looked at; everything else is skipped whole.
    /// </summary>
    public static DateTimeOffset? ReadWindowInstant(ReadOnlySpan<byte> finding, FindingsApi api)
    {
        var path = api == FindingsApi.V2 ? s_ocsfPath : s_asffPath;
        var reader = new Utf8JsonReader(finding, new JsonReaderOptions { MaxDepth = 256 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            var depth = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var onPath = reader.ValueTextEquals(path[depth]);
                reader.Read();
                if (!onPath)
                {
                    reader.Skip();
                    continue;
                }

                if (depth < path.Length - 1)
                {
                    // Into the object on the path: its members are read next.
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        return null;
                    }

                    depth++;
                    continue;
                }

                if (reader.TokenType != JsonTokenType.String)
                {
                    return null;
                }

                if (reader.TryGetDateTimeOffset(out var instant))
                {
                    return instant;
                }

                return DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant) ? instant : null;
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return null;
    }

    private static byte[][] PathOf(FindingsApi api) => [.. api.WindowField().Split('.').Select(Encoding.UTF8.GetBytes)];
}
