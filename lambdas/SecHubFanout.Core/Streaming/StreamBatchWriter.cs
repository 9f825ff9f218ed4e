using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using SecHubFanout.Core.Formats;
using SecHubFanout.Core.Orchestration;
using SecHubFanout.Core.Parts;
using SecHubFanout.Core.Sinks;

namespace SecHubFanout.Core.Streaming;

/// <summary>
/// Writes a delivered batch of finding events as parts in the export layout: one part per (receiving account and Region, finding's
/// account, finding's Region, hour of event time) under <c>export_id=stream-yyyyMMddHH</c>, then registers each partition.
/// Part keys are a digest of the part's event IDs, and rows are ordered by event, so a redelivered batch rewrites the same objects
/// with the same bytes. Unusable messages and messages whose part could not be stored are reported, never their siblings.
/// </summary>
public sealed class StreamBatchWriter
{
    private readonly IPartFormat _format;
    private readonly IPartSink _sink;
    private readonly IPartSpool _spool;
    private readonly IPartitionRegistrar _registrar;
    private readonly StreamWriterOptions _options;
    private readonly ConcurrentDictionary<string, bool> _registered = new(StringComparer.Ordinal);

    /// <summary>Creates the writer (the options are validated here).</summary>
    public StreamBatchWriter(IPartFormat format, IPartSink sink, IPartSpool spool, IPartitionRegistrar registrar, StreamWriterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _format = format ?? throw new ArgumentNullException(nameof(format));
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _spool = spool ?? throw new ArgumentNullException(nameof(spool));
        _registrar = registrar ?? throw new ArgumentNullException(nameof(registrar));
        _options = options;
    }

    /// <summary>Writes every usable message of <paramref name="messages"/>; returns the parts stored and the messages that were not written.</summary>
    public async Task<StreamBatchResult> WriteAsync(IReadOnlyList<StreamMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var failures = new ConcurrentDictionary<string, StreamFailure>(StringComparer.Ordinal);
        var groups = new Dictionary<PartGroupKey, PartGroup>();
        foreach (var message in messages)
        {
            IReadOnlyList<FindingEvent> findings;
            try
            {
                findings = FindingEvents.Parse(message.Body);
                foreach (var finding in findings)
                {
                    CheckTrusted(finding);
                }
            }
            catch (InvalidFindingEventException e)
            {
                failures.TryAdd(message.MessageId, new StreamFailure(message.MessageId, Poison: true, e.Message));
                continue;
            }

            foreach (var finding in findings)
            {
                var key = new PartGroupKey(finding.EventAccount, finding.EventRegion, finding.AccountId, finding.Region, StreamExportIds.HourOf(finding.EventTime));
                if (!groups.TryGetValue(key, out var group))
                {
                    group = new PartGroup();
                    groups.Add(key, group);
                }

                group.Add(message.MessageId, finding);
            }
        }

        var parts = new ConcurrentBag<StoredPart>();
        using var slots = new SemaphoreSlim(_options.MaxParallelParts);
        await Task.WhenAll(groups.Select(async g =>
        {
            try
            {
                await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    parts.Add(await StoreAsync(g.Key, g.Value, cancellationToken).ConfigureAwait(false));
                }
                finally
                {
                    slots.Release();
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The part is not stored (or not registered): report its messages, so the transport redelivers them; a later part of
                // the same events gets the same key if they come back together, and the view collapses them if they do not.
                foreach (var id in g.Value.MessageIds)
                {
                    failures.TryAdd(id, new StreamFailure(id, Poison: false, $"Storing the stream part for account {g.Key.AccountId}, Region {g.Key.Region} failed: {e.Message}"));
                }
            }
        })).ConfigureAwait(false);

        var order = messages.Select((m, i) => (m.MessageId, i)).GroupBy(x => x.MessageId, StringComparer.Ordinal).ToDictionary(x => x.Key, x => x.First().i, StringComparer.Ordinal);
        return new StreamBatchResult(
            [.. parts.OrderBy(p => p.Key, StringComparer.Ordinal)],
            [.. failures.Values.OrderBy(f => order.GetValueOrDefault(f.MessageId))]);
    }

    /// <summary>The central account's buses see every member's findings; an event any other account sent may carry only its own.</summary>
    private void CheckTrusted(FindingEvent finding)
    {
        if (finding.EventAccount != _options.OwnAccountId && finding.AccountId != finding.EventAccount)
        {
            throw new InvalidFindingEventException(
                $"Event {finding.EventId} was sent by account {finding.EventAccount} but holds a finding of account {finding.AccountId}: a member may stream only its own findings.");
        }
    }

    private async Task<StoredPart> StoreAsync(PartGroupKey key, PartGroup group, CancellationToken cancellationToken)
    {
        var findings = group.Ordered();
        var exportId = StreamExportIds.For(key.Hour);
        var prefix = PartKeys.PartitionPrefix(exportId, key.AccountId, key.Region, key.Hour);
        var (window, sequence) = PartNumbers(key, findings);
        var context = new PartContext(exportId, key.EventAccount, key.EventRegion, findings.Max(f => f.EventTime));
        var roller = new PartRoller(_format, _sink, _spool, context, prefix, PartKeys.WindowName(window), partSize: findings.Count, pageSize: findings.Count);
        StoredPart part;
        await using (roller.ConfigureAwait(false))
        {
            await roller.AddPageAsync([.. findings.Select(f => f.Finding)], cancellationToken).ConfigureAwait(false);
            part = await roller.SealAsync(sequence, cancellationToken).ConfigureAwait(false);
        }

        if (!_registered.ContainsKey(prefix))
        {
            await _registrar.RegisterAsync(exportId, key.AccountId, key.Region, key.Hour, cancellationToken).ConfigureAwait(false);
            _registered.TryAdd(prefix, true);
        }

        return part;
    }

    /// <summary>
    /// The part's window index and sequence number (the two numbers of its key) from a SHA-256 of what the part holds: the same events
    /// give the same key, different events a different one (62 bits, so a collision within an hour's partition is out of reach).
    /// </summary>
    private static (int Window, int Sequence) PartNumbers(PartGroupKey key, IReadOnlyList<FindingEvent> findings)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{key.EventAccount}\n{key.EventRegion}\n"));
        foreach (var finding in findings)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{finding.EventId}#{finding.Index}\n"));
        }

        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return (BinaryPrimitives.ReadInt32BigEndian(digest) & int.MaxValue, BinaryPrimitives.ReadInt32BigEndian(digest[4..]) & int.MaxValue);
    }

    private readonly record struct PartGroupKey(string EventAccount, string EventRegion, string AccountId, string Region, DateTimeOffset Hour);

    private sealed class PartGroup
    {
        private readonly Dictionary<(string EventId, int Index), FindingEvent> _findings = [];

        public HashSet<string> MessageIds { get; } = new(StringComparer.Ordinal);

        // EventBridge delivers at least once: an event seen twice in one batch is written once, and both messages count as written.
        public void Add(string messageId, FindingEvent finding)
        {
            MessageIds.Add(messageId);
            _findings.TryAdd((finding.EventId, finding.Index), finding);
        }

        public IReadOnlyList<FindingEvent> Ordered() =>
            [.. _findings.Values.OrderBy(f => f.EventTime).ThenBy(f => f.EventId, StringComparer.Ordinal).ThenBy(f => f.Index)];
    }
}
