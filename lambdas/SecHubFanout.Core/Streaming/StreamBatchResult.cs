using SecHubFanout.Core.Parts;

namespace SecHubFanout.Core.Streaming;

/// <summary>What writing one batch did: the parts stored, and the messages to report as failed (the transport redelivers only those).</summary>
/// <param name="Parts">Parts durably stored (and their partitions registered).</param>
/// <param name="Failures">Messages not written, each with why; empty when the whole batch was written.</param>
public sealed record StreamBatchResult(IReadOnlyList<StoredPart> Parts, IReadOnlyList<StreamFailure> Failures);

/// <summary>A message that was not written.</summary>
/// <param name="MessageId">The message's ID.</param>
/// <param name="Poison">True when the message itself is unusable (a retry fails the same way and ends in the dead-letter queue); false when storing failed and a retry may succeed.</param>
/// <param name="Reason">Why, without any finding content.</param>
public sealed record StreamFailure(string MessageId, bool Poison, string Reason);
