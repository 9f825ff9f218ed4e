using System.Text.Json;
using SecHubFanout.Emulator.Query;

namespace SecHubFanout.Emulator.Findings;

/// <summary>
/// The findings of one account and Region: the generated ones (derived, not stored) and the imported ones (stored as given).
/// A position below Count is a generated index; Count + k is the k-th imported finding.
/// </summary>
internal sealed class RegionStore
{
    private const int CachedQueries = 16;

    private readonly Lock _lock = new();
    private readonly List<ImportedFinding> _imported = [];
    private readonly Dictionary<(string ProductArn, string Id), int> _importedAt = [];
    private readonly HashSet<int> _replacedGenerated = [];
    private readonly Dictionary<string, QueryResult> _cache = new(StringComparer.Ordinal);
    private int _version;

    public RegionStore(SyntheticFindings generated)
    {
        Generated = generated;
    }

    public SyntheticFindings Generated { get; }

    /// <summary>The ordered positions matching a query, computed once per query and store version so a chain of pages sees one order.</summary>
    public QueryResult Execute(FindingQuery query)
    {
        ImportedFinding[] imported;
        int version;
        HashSet<int> replaced;
        lock (_lock)
        {
            if (_cache.TryGetValue(query.CacheKey, out var cached) && cached.Version == _version)
            {
                return cached;
            }

            imported = [.. _imported];
            version = _version;
            replaced = [.. _replacedGenerated];
        }

        var n = Generated.Count;
        var matches = new List<int>();
        for (var rank = 0; rank < n; rank++)
        {
            var i = Generated.IndexAtRank(rank);
            if (!replaced.Contains(i) && MatchesGenerated(query, i))
            {
                matches.Add(i);
            }
        }

        for (var k = 0; k < imported.Length; k++)
        {
            if (MatchesImported(query, imported[k]))
            {
                matches.Add(n + k);
            }
        }

        var positions = matches.ToArray();
        if (query.Sort.Count > 0)
        {
            positions = Sort(query.Sort, positions, imported);
        }

        var result = new QueryResult(positions, imported, version);
        lock (_lock)
        {
            if (_cache.Count >= CachedQueries)
            {
                _cache.Clear();
            }

            _cache[query.CacheKey] = result;
        }

        return result;
    }

    /// <summary>
    /// The ordered positions of generated findings matching a GetFindingsV2 query (OCSF documents of the same findings; imported
    /// ASFF findings are not served as OCSF), cached like <see cref="Execute(FindingQuery)"/>.
    /// </summary>
    public QueryResult Execute(OcsfQuery query)
    {
        lock (_lock)
        {
            if (_cache.TryGetValue(query.CacheKey, out var cached))
            {
                return cached;
            }
        }

        var matches = new List<int>();
        for (var rank = 0; rank < Generated.Count; rank++)
        {
            var i = Generated.IndexAtRank(rank);
            if (query.Matches(Generated, i))
            {
                matches.Add(i);
            }
        }

        var positions = matches.ToArray();
        if (query.Sort.Count > 0)
        {
            var order = Enumerable.Range(0, positions.Length).ToArray();
            Array.Sort(order, (a, b) =>
            {
                foreach (var key in query.Sort)
                {
                    var c = key.Compare(Generated, positions[a], positions[b]);
                    if (c != 0)
                    {
                        return c;
                    }
                }

                // Ties keep the default order, so the order is total and pages are stable.
                return a.CompareTo(b);
            });
            positions = [.. order.Select(o => positions[o])];
        }

        // Generated findings never change, so the result stays valid whatever is imported later.
        var result = new QueryResult(positions, [], -1);
        lock (_lock)
        {
            if (_cache.Count >= CachedQueries)
            {
                _cache.Clear();
            }

            _cache[query.CacheKey] = result;
        }

        return result;
    }

    /// <summary>Writes generated finding <paramref name="position"/> as an OCSF document.</summary>
    public void WriteOcsfFinding(Utf8JsonWriter writer, int position) => Generated.WriteOcsf(writer, position);

    /// <summary>The <c>finding_info.uid</c> of every finding GetFindingsV2 serves here.</summary>
    public HashSet<string> OcsfIds() => [.. Enumerable.Range(0, Generated.Count).Select(Generated.Id)];

    public void WriteFinding(Utf8JsonWriter writer, QueryResult result, int position)
    {
        if (position < Generated.Count)
        {
            Generated.Write(writer, position);
        }
        else
        {
            writer.WriteRawValue(result.Imported[position - Generated.Count].Json, skipInputValidation: true);
        }
    }

    /// <summary>Inserts or replaces by (ProductArn, Id), as BatchImportFindings does.</summary>
    public void Upsert(ImportedFinding finding)
    {
        lock (_lock)
        {
            var key = (finding.ProductArn, finding.Id);
            if (_importedAt.TryGetValue(key, out var at))
            {
                _imported[at] = finding;
            }
            else
            {
                var generated = Generated.IndexOf(finding.Id);
                if (generated >= 0 && Generated.GetString(FindingField.ProductArn, generated) == finding.ProductArn)
                {
                    _replacedGenerated.Add(generated);
                }

                _importedAt[key] = _imported.Count;
                _imported.Add(finding);
            }

            _version++;
        }
    }

    /// <summary>Every finding as GetFindings serves it, by Id (generated and imported), exactly the bytes served (same writer options).</summary>
    public Dictionary<string, string> Snapshot()
    {
        ImportedFinding[] imported;
        HashSet<int> replaced;
        lock (_lock)
        {
            imported = [.. _imported];
            replaced = [.. _replacedGenerated];
        }

        var findings = new Dictionary<string, string>(StringComparer.Ordinal);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        for (var i = 0; i < Generated.Count; i++)
        {
            if (!replaced.Contains(i))
            {
                buffer.ResetWrittenCount();
                using (var writer = new Utf8JsonWriter(buffer, Protocol.SecurityHubOperations.WriterOptions))
                {
                    Generated.Write(writer, i);
                }

                findings[Generated.Id(i)] = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
            }
        }

        foreach (var f in imported)
        {
            findings[f.Id] = System.Text.Encoding.UTF8.GetString(f.Json);
        }

        return findings;
    }

    public HashSet<string> Ids()
    {
        HashSet<string> ids = new(StringComparer.Ordinal);
        lock (_lock)
        {
            for (var i = 0; i < Generated.Count; i++)
            {
                if (!_replacedGenerated.Contains(i))
                {
                    ids.Add(Generated.Id(i));
                }
            }

            foreach (var f in _imported)
            {
                ids.Add(f.Id);
            }
        }

        return ids;
    }

    private bool MatchesGenerated(FindingQuery query, int i)
    {
        foreach (var criterion in query.Strings)
        {
            var value = Generated.GetString(criterion.Field, i);
            ReadOnlySpan<string> values = Generated.Has(criterion.Field, i) ? new ReadOnlySpan<string>(ref value) : [];
            if (!criterion.Matches(values))
            {
                return false;
            }
        }

        foreach (var criterion in query.Dates)
        {
            if (!criterion.Matches(Generated.GetDate(criterion.Field, i)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool MatchesImported(FindingQuery query, ImportedFinding finding)
    {
        foreach (var criterion in query.Strings)
        {
            if (!criterion.Matches(finding.Get(criterion.Field)))
            {
                return false;
            }
        }

        foreach (var criterion in query.Dates)
        {
            if (!criterion.Matches(finding.GetDate(criterion.Field)))
            {
                return false;
            }
        }

        return true;
    }

    private int[] Sort(IReadOnlyList<SortKey> keys, int[] positions, ImportedFinding[] imported)
    {
        var n = Generated.Count;
        var strings = new string?[keys.Count][];
        var dates = new long?[keys.Count][];
        for (var k = 0; k < keys.Count; k++)
        {
            var key = keys[k];
            if (key.Field is { } field)
            {
                strings[k] = [.. positions.Select(p => p < n
                    ? (Generated.Has(field, p) ? Generated.GetString(field, p) : null)
                    : (imported[p - n].Get(field) is [var first, ..] ? first : null))];
            }
            else
            {
                var dateField = key.DateField!.Value;
                dates[k] = [.. positions.Select(p => p < n ? Generated.GetDate(dateField, p) : imported[p - n].GetDate(dateField))];
            }
        }

        var order = Enumerable.Range(0, positions.Length).ToArray();
        Array.Sort(order, (a, b) =>
        {
            for (var k = 0; k < keys.Count; k++)
            {
                // Missing values sort last in either direction.
                int c;
                if (strings[k] is { } s)
                {
                    c = s[a] is null || s[b] is null ? (s[a] is null).CompareTo(s[b] is null) : Sign(keys[k], string.CompareOrdinal(s[a], s[b]));
                }
                else
                {
                    var d = dates[k];
                    c = d[a] is null || d[b] is null ? (d[a] is null).CompareTo(d[b] is null) : Sign(keys[k], d[a]!.Value.CompareTo(d[b]!.Value));
                }

                if (c != 0)
                {
                    return c;
                }
            }

            // Ties keep the default order, so the order is total and pages are stable.
            return a.CompareTo(b);
        });
        return [.. order.Select(o => positions[o])];
    }

    private static int Sign(SortKey key, int comparison) => key.Descending ? -comparison : comparison;
}

/// <summary>The ordered positions of one query over one version of a store, and the imported findings they refer to.</summary>
internal sealed record QueryResult(int[] Positions, ImportedFinding[] Imported, int Version);
