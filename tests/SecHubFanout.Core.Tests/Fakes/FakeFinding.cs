namespace SecHubFanout.Core.Tests.Fakes;

/// <summary>A finding the fake source serves.</summary>
internal sealed record FakeFinding(string Id, DateTimeOffset UpdatedAt, string RecordState = "ACTIVE");
