using System.Text;
using System.Text.Json;

namespace SecHubFanout.Core.Queries;

/// <summary>
/// Confines filters to one account's findings from one Region (<c>AwsAccountId EQUALS</c> and <c>Region EQUALS</c>), so that an
/// administrator account (which sees its members' findings) or a cross-Region aggregation Region (which sees its linked Regions')
/// exports only what is its own, as every other member does.
/// </summary>
public static class OwnFindingsScope
{
    /// <summary>The filter field of a finding's own account.</summary>
    public const string AccountField = "AwsAccountId";

    /// <summary>The filter field of a finding's own Region.</summary>
    public const string RegionField = "Region";

    /// <summary>
    /// The filters with <c>AwsAccountId EQUALS <paramref name="accountId"/></c> and <c>Region EQUALS <paramref name="region"/></c>
    /// appended, each unless <paramref name="filters"/> already filter on that field (the caller chose that scope). The result is a
    /// pure function of its arguments: the same inputs give the same bytes and fingerprint on every page and every resumed invocation.
    /// </summary>
    public static FindingFilters Apply(FindingFilters filters, string accountId, string region)
    {
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        if (filters.Api == FindingsApi.V2)
        {
            return ApplyV2(filters, accountId, region);
        }

        var addAccount = !Has(filters, AccountField);
        var addRegion = !Has(filters, RegionField);
        if (!addAccount && !addRegion)
        {
            return filters;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var field in filters.Fields)
            {
                writer.WritePropertyName(field.Key);
                field.Value.WriteTo(writer);
            }

            if (addAccount)
            {
                WriteEquals(writer, AccountField, accountId);
            }

            if (addRegion)
            {
                WriteEquals(writer, RegionField, region);
            }

            writer.WriteEndObject();
        }

        return FindingFilters.Parse(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>The GetFindingsV2 fields of a finding's own account and Region.</summary>
    public const string OcsfAccountField = "cloud.account.uid";

    /// <summary>The GetFindingsV2 field of a finding's own Region.</summary>
    public const string OcsfRegionField = "cloud.region";

    // V2: one more composite, ANDed with the user's (which keep their meaning through OcsfFindingsQuery.WriteUserComposites).
    private static FindingFilters ApplyV2(FindingFilters filters, string accountId, string region)
    {
        var scope = new List<(string Field, string Value)>();
        if (!OcsfFilters.FiltersOn(filters, OcsfAccountField))
        {
            scope.Add((OcsfAccountField, accountId));
        }

        if (!OcsfFilters.FiltersOn(filters, OcsfRegionField))
        {
            scope.Add((OcsfRegionField, region));
        }

        if (scope.Count == 0)
        {
            return filters;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("CompositeFilters");
            writer.WriteStartObject();
            writer.WriteStartArray("StringFilters");
            foreach (var (field, value) in scope)
            {
                writer.WriteStartObject();
                writer.WriteString("FieldName", field);
                writer.WriteStartObject("Filter");
                writer.WriteString("Value", value);
                writer.WriteString("Comparison", "EQUALS");
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("Operator", "AND");
            writer.WriteEndObject();
            OcsfFindingsQuery.WriteUserComposites(writer, filters);
            writer.WriteEndArray();
            writer.WriteString("CompositeOperator", "AND");
            writer.WriteEndObject();
        }

        // The scope's composite comes on top of the user's maximum.
        return FindingFilters.ParseV2(Encoding.UTF8.GetString(buffer.ToArray()), OcsfFilters.MaxUserCompositeFilters + 1);
    }

    // Field names are case-sensitive in the Security Hub API, so only the exact name counts as the caller's own scope.
    private static bool Has(FindingFilters filters, string field) => filters.Fields.Any(f => string.Equals(f.Key, field, StringComparison.Ordinal));

    private static void WriteEquals(Utf8JsonWriter writer, string field, string value)
    {
        writer.WriteStartArray(field);
        writer.WriteStartObject();
        writer.WriteString("Value", value);
        writer.WriteString("Comparison", "EQUALS");
        writer.WriteEndObject();
        writer.WriteEndArray();
    }
}
