using Parquet;
using Parquet.Schema;
using SecHubFanout.Core.Schema;

namespace SecHubFanout.Core.Formats;

/// <summary>One column's values for the row group being built, typed as <see cref="FindingSchema"/> says.</summary>
internal abstract class ParquetColumnBuffer
{
    /// <summary>The column of every table that holds the finding's JSON itself (<see cref="Utf8JsonColumn"/>).</summary>
    internal const string FindingColumn = "finding";

    public abstract Field Field { get; }

    public static ParquetColumnBuffer Create(ColumnDefinition column) => Create(column, FindingTable.Asff);

    /// <summary>A column of <paramref name="table"/>: OCSF columns take their values from <see cref="ParquetRow.Ocsf"/> (<see cref="OcsfColumnSources"/>).</summary>
    public static ParquetColumnBuffer Create(ColumnDefinition column, FindingTable table)
    {
        var name = column.Name;
        var ocsf = table.Api == Queries.FindingsApi.V2;
        return column.Type switch
        {
            ColumnType.String when name == FindingColumn => new Utf8JsonColumn(name),
            ColumnType.String => new ScalarColumn<ReadOnlyMemory<char>>(new DataField<string>(name), ocsf ? OcsfColumnSources.String(name) : StringSource(name)),
            ColumnType.Int => new ScalarColumn<int>(new DataField<int?>(name), ocsf ? OcsfColumnSources.Int(name) : IntSource(name)),
            ColumnType.Timestamp => new ScalarColumn<DateTime>(TimestampField(name), Utc(ocsf ? OcsfColumnSources.Timestamp(name) : TimestampSource(name))),
            ColumnType.StringList => new StringListColumn(name, ocsf ? OcsfColumnSources.List(name) : ListSource(name)),
            _ => throw new NotSupportedException($"column {name} has type {column.Type}, which the Parquet writer does not know"),
        };
    }

    public abstract void Add(in ParquetRow row);

    public abstract Task WriteAsync(ParquetRowGroupWriter rowGroup, CancellationToken cancellationToken);

    public abstract void Clear();

    /// <summary>Returns the pooled arrays; the buffer is not used afterwards.</summary>
    public abstract void Release();

    // The one mapping from schema column names to values: a column added to FindingSchema fails here, loudly, until it is mapped.
    internal static Func<ParquetRow, ReadOnlyMemory<char>?> StringSource(string name) => name switch
    {
        "id" => r => Text(r.Fields.Id),
        "product_arn" => r => Text(r.Fields.ProductArn),
        "product_name" => r => Text(r.Fields.ProductName),
        "company_name" => r => Text(r.Fields.CompanyName),
        "generator_id" => r => Text(r.Fields.GeneratorId),
        "aws_account_id" => r => Text(r.Fields.AwsAccountId),
        "finding_region" => r => Text(r.Fields.Region),
        "title" => r => Text(r.Fields.Title),
        "severity_label" => r => Text(r.Fields.SeverityLabel),
        "compliance_status" => r => Text(r.Fields.ComplianceStatus),
        "security_control_id" => r => Text(r.Fields.SecurityControlId),
        "workflow_status" => r => Text(r.Fields.WorkflowStatus),
        "record_state" => r => Text(r.Fields.RecordState),
        "source_account_id" => r => r.Context.SourceAccountId.AsMemory(),
        "source_region" => r => r.Context.SourceRegion.AsMemory(),
        "export_id" => r => r.Context.ExportId.AsMemory(),
        _ => throw Unmapped(name, ColumnType.String),
    };

    private static Func<ParquetRow, int?> IntSource(string name) => name switch
    {
        "severity_normalized" => r => r.Fields.SeverityNormalized,
        _ => throw Unmapped(name, ColumnType.Int),
    };

    internal static Func<ParquetRow, DateTimeOffset?> TimestampSource(string name) => name switch
    {
        "created_at" => r => r.Fields.CreatedAt,
        "updated_at" => r => r.Fields.UpdatedAt,
        "first_observed_at" => r => r.Fields.FirstObservedAt,
        "last_observed_at" => r => r.Fields.LastObservedAt,
        "exported_at" => r => r.Context.ExportedAt,
        _ => throw Unmapped(name, ColumnType.Timestamp),
    };

    private static Func<ParquetRow, IReadOnlyList<string?>?> ListSource(string name) => name switch
    {
        "types" => r => r.Fields.Types,
        "resource_types" => r => r.Fields.ResourceTypes,
        "resource_ids" => r => r.Fields.ResourceIds,
        _ => throw Unmapped(name, ColumnType.StringList),
    };

    internal static ReadOnlyMemory<char>? Text(string? value) => value?.AsMemory();

    internal static NotSupportedException Unmapped(string name, ColumnType type) =>
        new($"FindingSchema column '{name}' ({type}) has no value source in the Parquet writer; map it in {nameof(ParquetColumnBuffer)} (and extract it in {nameof(FindingFieldReader)}).");

    // INT64 TIMESTAMP(MILLIS, isAdjustedToUTC=true): Athena's timestamp, DuckDB's TIMESTAMP WITH TIME ZONE (not INT96, not a bare int64).
    private static DateTimeDataField TimestampField(string name) =>
        new(name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: true);

    private static Func<ParquetRow, DateTime?> Utc(Func<ParquetRow, DateTimeOffset?> source) => r => source(r)?.UtcDateTime;

    // A column of one optional value per row (strings as text slices, integers, timestamps).
    private sealed class ScalarColumn<T>(DataField dataField, Func<ParquetRow, T?> source) : ParquetColumnBuffer
        where T : struct
    {
        private readonly GrowableArray<T?> _values = new();

        public override Field Field => dataField;

        public override void Add(in ParquetRow row) => _values.Add(source(row));

        public override Task WriteAsync(ParquetRowGroupWriter rowGroup, CancellationToken cancellationToken) =>
            rowGroup.WriteAsync(dataField, _values.AsMemory(), null, null, cancellationToken);

        public override void Clear() => _values.Clear();

        public override void Release() => _values.Release();
    }

    private sealed class StringListColumn : ParquetColumnBuffer
    {
        // Definition levels of an optional list of optional strings: 0 null list, 1 empty list, 2 null element, 3 element.
        private const int NullList = 0;
        private const int EmptyList = 1;
        private const int NullElement = 2;
        private const int Element = 3;

        private readonly Func<ParquetRow, IReadOnlyList<string?>?> _source;
        private readonly DataField<string> _item = new("element");
        private readonly ListField _field;
        private readonly GrowableArray<ReadOnlyMemory<char>> _values = new();
        private readonly GrowableArray<int> _definitions = new();
        private readonly GrowableArray<int> _repetitions = new();

        public StringListColumn(string name, Func<ParquetRow, IReadOnlyList<string?>?> source)
        {
            _source = source;
            _field = new ListField(name, _item);
        }

        public override Field Field => _field;

        public override void Add(in ParquetRow row)
        {
            var list = _source(row);
            if (list is null || list.Count == 0)
            {
                _definitions.Add(list is null ? NullList : EmptyList);
                _repetitions.Add(0);
                return;
            }

            for (var i = 0; i < list.Count; i++)
            {
                var value = list[i];
                _repetitions.Add(i == 0 ? 0 : 1);
                if (value is null)
                {
                    _definitions.Add(NullElement);
                }
                else
                {
                    _definitions.Add(Element);
                    _values.Add(value.AsMemory());
                }
            }
        }

        public override Task WriteAsync(ParquetRowGroupWriter rowGroup, CancellationToken cancellationToken) =>
            rowGroup.WriteAllPartsAsync(_item, _values.AsMemory(), _definitions.AsMemory(), _repetitions.AsMemory(), cancellationToken);

        public override void Clear()
        {
            _values.Clear();
            _definitions.Clear();
            _repetitions.Clear();
        }

        public override void Release()
        {
            _values.Release();
            _definitions.Release();
            _repetitions.Release();
        }
    }
}
