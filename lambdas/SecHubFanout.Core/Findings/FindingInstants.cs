using System.Globalization;
using System.Text;
using System.Text.Json;
using SecHubFanout.Core.Queries;

namespace SecHubFanout.Core.Findings;

/// <summary>Reads the instant a finding's windows are cut on (<c>UpdatedAt</c>) from its raw JSON, without reading anything else.</summary>
public static class FindingInstants
{
    private static readonly byte[] s_windowField = Encoding.UTF8.GetBytes(FindingFilters.WindowField);

    /// <summary>
    /// The finding's <c>UpdatedAt</c> as an instant (any ISO 8601 spelling: fractional seconds, offsets), or null when it is missing,
    /// not a string, or not a date. Only top-level members are looked at; nested objects are skipped whole.
    /// </summary>
    public static DateTimeOffset? ReadWindowInstant(ReadOnlySpan<byte> finding)
    {
        var reader = new Utf8JsonReader(finding, new JsonReaderOptions { MaxDepth = 256 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isWindowField = reader.ValueTextEquals(s_windowField);
                reader.Read();
                if (!isWindowField)
                {
                    reader.Skip();
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
}
