namespace SecHubFanout.Core.Parts;

/// <summary>A part that is durably stored.</summary>
/// <param name="Key">Its object key.</param>
/// <param name="Findings">Findings in it.</param>
/// <param name="Bytes">Its size.</param>
public sealed record StoredPart(string Key, int Findings, long Bytes);
