namespace SecHubFanout.Cli.Tests.Analytics;

/// <summary>A small export whose view results are worked out by hand in the tests (see each test's expectations).</summary>
internal static class SmallExport
{
    public static readonly DateTimeOffset Export1At = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Export2At = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    public static IReadOnlyList<FixtureFinding> Findings { get; } = Build();

    private static IReadOnlyList<FixtureFinding> Build()
    {
        static DateTimeOffset At(int hour, int minute) => new(2026, 3, 1, hour, minute, 0, TimeSpan.Zero);
        const string a1 = "012345678901", a2 = "222222222222", r1 = "us-east-1", r2 = "eu-west-1";
        return
        [
            // f-a: failing in export 1, passing (newer) in export 2, and its old version exported again in export 2.
            new("f-a", a1, r1, "S3 bucket public", "HIGH", "FAILED", "S3.1", "NEW", "ACTIVE", ["b1"], At(9, 10), "e1", Export1At),
            new("f-a", a1, r1, "S3 bucket public", "HIGH", "PASSED", "S3.1", "NEW", "ACTIVE", ["b1"], At(11, 20), "e2", Export2At),
            new("f-a", a1, r1, "S3 bucket public", "HIGH", "FAILED", "S3.1", "NEW", "ACTIVE", ["b1"], At(9, 10), "e2", Export2At),
            new("f-b", a1, r1, "S3 bucket public", "HIGH", "FAILED", "S3.1", "NEW", "ACTIVE", ["b2", "b3"], At(9, 40), "e1", Export1At),
            new("f-f", a1, r1, "S3 logging", "MEDIUM", "FAILED", "S3.9", "NEW", "ARCHIVED", ["b4"], At(9, 15), "e1", Export1At),
            new("f-h", a1, r1, "Root MFA", "CRITICAL", "FAILED", "IAM.6", "NEW", "ACTIVE", ["root-1"], At(9, 50), "e1", Export1At),
            new("f-c", a2, r2, "Root MFA", "CRITICAL", "FAILED", "IAM.6", "NOTIFIED", "ACTIVE", ["root-2"], At(10, 5), "e1", Export1At),
            new("f-d", a2, r2, "SG open", "MEDIUM", "FAILED", "EC2.19", "SUPPRESSED", "ACTIVE", ["sg-1"], At(10, 30), "e1", Export1At),
            new("f-e", a2, r2, "GuardDuty <script>alert(1)</script>", "LOW", null, null, "NEW", "ACTIVE", ["i-1"], At(10, 50), "e1", Export1At),
            new("f-g", a2, r2, "S3 bucket public", "HIGH", "FAILED", "S3.1", "NEW", "ACTIVE", ["b9"], At(10, 10), "e1", Export1At),
        ];
    }
}
