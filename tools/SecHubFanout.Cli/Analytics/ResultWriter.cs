using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text.Encodings.Web;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace SecHubFanout.Cli.Analytics;

/// <summary>Writes a query result as a terminal table, CSV (RFC 4180) or a JSON array of objects.</summary>
internal static class ResultWriter
{
    /// <summary>The formats <c>--format</c> accepts.</summary>
    public static readonly string[] Formats = ["table", "csv", "json"];

    public static void Write(QueryResult result, string format, TextWriter output)
    {
        switch (format)
        {
            case "table":
                WriteTable(result, output);
                break;
            case "csv":
                WriteCsv(result, output);
                break;
            case "json":
                WriteJson(result, output);
                break;
            default:
                throw new AnalyticsInputException($"Unknown format '{format}': use one of {string.Join(", ", Formats)}.");
        }
    }

    private static void WriteTable(QueryResult result, TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
        });

        // Redirected output has no terminal width; do not wrap rows into 80 columns then.
        if (Console.IsOutputRedirected || output != Console.Out)
        {
            console.Profile.Width = 240;
        }

        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in result.Columns)
        {
            var header = new TableColumn(new Text(column.Name, new Style(decoration: Decoration.Bold)));
            if (IsNumeric(column.TypeName))
            {
                header.RightAligned();
            }

            table.AddColumn(header);
        }

        foreach (var row in result.Rows)
        {
            table.AddRow(row.Select(v => (IRenderable)new Text(ValueText.Format(v))));
        }

        console.Write(table);
        console.WriteLine(result.Rows.Count == 1 ? "(1 row)" : $"({result.Rows.Count} rows)");
    }

    private static void WriteCsv(QueryResult result, TextWriter output)
    {
        output.Write(string.Join(',', result.Columns.Select(c => CsvField(c.Name))) + "\n");
        foreach (var row in result.Rows)
        {
            // Lists are written as JSON arrays so a value with a comma stays one unambiguous element.
            output.Write(string.Join(',', row.Select(v => CsvField(v is IList ? JsonText(v) : ValueText.Format(v)))) + "\n");
        }
    }

    private static string CsvField(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;

    private static void WriteJson(QueryResult result, TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartArray();
            foreach (var row in result.Rows)
            {
                json.WriteStartObject();
                for (var i = 0; i < row.Length; i++)
                {
                    json.WritePropertyName(result.Columns[i].Name);
                    WriteJsonValue(json, row[i]);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        output.Write(System.Text.Encoding.UTF8.GetString(stream.ToArray()) + "\n");
    }

    private static void WriteJsonValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string s:
                json.WriteStringValue(s);
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case DateTime t:
                json.WriteStringValue(DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset t:
                WriteJsonValue(json, t.UtcDateTime);
                break;
            case BigInteger or long or int or short or sbyte or byte or ushort or uint or ulong or decimal or double or float:
                json.WriteRawValue(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture));
                break;
            case IDictionary dictionary:
                json.WriteStartObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    json.WritePropertyName(ValueText.Format(entry.Key));
                    WriteJsonValue(json, entry.Value);
                }

                json.WriteEndObject();
                break;
            case IList list:
                json.WriteStartArray();
                foreach (var item in list)
                {
                    WriteJsonValue(json, item);
                }

                json.WriteEndArray();
                break;
            default:
                json.WriteStringValue(ValueText.Format(value));
                break;
        }
    }

    private static string JsonText(object? value)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteJsonValue(json, value);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static bool IsNumeric(string typeName) =>
        typeName is "TinyInt" or "SmallInt" or "Integer" or "BigInt" or "HugeInt" or "UnsignedTinyInt" or "UnsignedSmallInt"
            or "UnsignedInteger" or "UnsignedBigInt" or "Float" or "Double" or "Decimal";
}
