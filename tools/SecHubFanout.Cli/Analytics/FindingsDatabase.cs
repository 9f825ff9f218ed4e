using System.Data.Common;
using DuckDB.NET.Data;
using SecHubFanout.Core.Analytics;
using SecHubFanout.Core.Deployment;
using SecHubFanout.Core.Schema;

namespace SecHubFanout.Cli.Analytics;

/// <summary>
/// An in-memory DuckDB over an export folder: a <c>findings</c> view with the Athena table's columns over
/// <c>DIR/findings/**/*.parquet</c>, and the named views of <see cref="AnalyticsViews"/> on top of it.
/// </summary>
internal sealed class FindingsDatabase : IDisposable
{
    private readonly DuckDBConnection _connection;

    private FindingsDatabase(DuckDBConnection connection) => _connection = connection;

    /// <summary>Opens the export below <paramref name="exportDirectory"/>; throws <see cref="AnalyticsInputException"/> when it holds no Parquet.</summary>
    public static FindingsDatabase Open(string exportDirectory)
    {
        var findings = Path.Combine(Path.GetFullPath(exportDirectory), FanoutNames.FindingsPrefix.TrimEnd('/'));
        if (!Directory.Exists(findings) || !Directory.EnumerateFiles(findings, "*.parquet", SearchOption.AllDirectories).Any())
        {
            throw new AnalyticsInputException(
                $"No exported Parquet files under {findings}. Produce some with 'sechub-fanout demo' (a simulated organization, no AWS needed) " +
                "or 'sechub-fanout export', or point --in at the folder an export wrote (the one holding findings/).");
        }

        var connection = new DuckDBConnection("DataSource=:memory:");
        try
        {
            connection.Open();

            // Athena's timestamp columns are UTC wall-clock values; DuckDB reads TIMESTAMP(MILLIS, UTC) as TIMESTAMPTZ and
            // would truncate and print it in the machine's zone. UTC makes date_trunc('hour', ...) agree with Athena.
            Execute(connection, "SET TimeZone = 'UTC'");
            Execute(connection, FindingsViewSql(findings));
            foreach (var view in AnalyticsViews.All)
            {
                Execute(connection, view.DuckDbSql("findings"));
            }

            return new FindingsDatabase(connection);
        }
        catch (DbException e)
        {
            connection.Dispose();
            throw new AnalyticsInputException($"Could not read the export under {findings}: {e.Message}", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The local <c>findings</c> view: the same columns, in the same order, as the Athena table (<see cref="AnalyticsViews.TableColumns"/>).
    /// The partition keys come from the path, as in Athena, through DuckDB's Hive partitioning: the key is the truth Athena
    /// queries see, and deriving them from source_account_id/exported_at instead would silently disagree if the two ever
    /// differed. Two DuckDB behaviours matter here (both covered by tests): (1) without explicit hive_types DuckDB guesses
    /// types, turning export_date into a DATE and an all-digit account ID into a number that loses leading zeros, so every
    /// key is declared VARCHAR like the Glue table; (2) the files also store export_id, and for a name that is both a file
    /// column and a partition key DuckDB returns the value from the path, which is again what Athena returns.
    /// </summary>
    internal static string FindingsViewSql(string findingsDirectory)
    {
        var glob = Path.Combine(findingsDirectory, "**", "*.parquet").Replace("'", "''", StringComparison.Ordinal);
        var hiveTypes = string.Join(", ", FindingSchema.PartitionKeys.Select(k => $"'{k.Name}': VARCHAR"));
        var columns = string.Join(",\n    ", AnalyticsViews.TableColumns.Select(c => $"CAST(\"{c.Name}\" AS {DuckDbType(c.Type)}) AS \"{c.Name}\""));

        // union_by_name: parts written by older writers that lack a newer column still read (as NULL).
        return $$"""
            CREATE OR REPLACE VIEW findings AS
            SELECT
                {{columns}}
            FROM read_parquet('{{glob}}', hive_partitioning = true, hive_types = { {{hiveTypes}} }, union_by_name = true)
            """;
    }

    /// <summary>Runs one SQL statement and returns all its rows; DuckDB's errors become <see cref="AnalyticsInputException"/> with its message.</summary>
    public QueryResult Query(string sql)
    {
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            var columns = Enumerable.Range(0, reader.FieldCount)
                .Select(i => new QueryColumn(reader.GetName(i), reader.GetDataTypeName(i)))
                .ToList();
            var rows = new List<object?[]>();
            while (reader.Read())
            {
                var row = new object?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                rows.Add(row);
            }

            return new QueryResult(columns, rows);
        }
        catch (DbException e)
        {
            throw new AnalyticsInputException(e.Message, e);
        }
    }

    public void Dispose() => _connection.Dispose();

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string DuckDbType(ColumnType type) => type switch
    {
        ColumnType.String => "VARCHAR",
        ColumnType.Int => "INTEGER",
        ColumnType.Timestamp => "TIMESTAMPTZ",
        ColumnType.StringList => "VARCHAR[]",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no DuckDB type for this column type"),
    };
}
