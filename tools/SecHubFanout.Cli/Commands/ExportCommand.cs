using System.CommandLine;
using SecHubFanout.Cli.Exporting;
using SecHubFanout.Cli.Infrastructure;

namespace SecHubFanout.Cli.Commands;

/// <summary><c>sechub-fanout export</c>: one account's findings, every (or the given) Region in parallel, into a folder or S3.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var regions = new Option<string?>("--regions") { Description = "Comma-separated Regions to export (e.g. us-east-1,eu-west-1). Default: every Region enabled for the account (EC2 DescribeRegions); those where Security Hub is not enabled are named and skipped." };
        var output = new Option<string>("--out") { Description = "Where the parts go: a folder (created when missing) or s3://bucket/prefix. Keys: findings/account_id=.../region=.../export_date=.../export_id=.../part-WWWW-SSSSS.<ext>.", DefaultValueFactory = _ => "sechub-export" };
        var format = new Option<string>("--format") { Description = "Part format: parquet (one row per finding, flat columns plus the raw finding JSON) or jsonl (gzipped, one finding per line exactly as Security Hub returned it).", DefaultValueFactory = _ => "parquet" };
        var filters = new Option<string?>("--filters") { Description = "Security Hub filters (an AwsSecurityFindingFilters JSON object), inline or @file, ANDed with the export's time windows. E.g. {\"RecordState\":[{\"Value\":\"ACTIVE\",\"Comparison\":\"EQUALS\"}]}. UpdatedAt is reserved: use --since or --incremental." };
        var since = new Option<string?>("--since") { Description = "Export only findings updated at or after this ISO-8601 instant (e.g. 2026-11-01T00:00:00Z). Default: everything Security Hub holds." };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "A file that records progress after every stored part. Run the same command again with the same file to resume an interrupted or failed export (same export ID, same keys, no duplicates); a finished export's file says so and is not exported again." };
        var accountId = new Option<string?>("--account-id") { Description = "The 12-digit account the credentials belong to. Default: asked from STS GetCallerIdentity." };
        var exportId = new Option<string?>("--export-id") { Description = "The export's ID in the keys (1-64 of letters, digits, '.', '_', '-'). Default: generated from the start time, or taken from --checkpoint." };
        var endpoint = new Option<string?>("--endpoint-url") { Description = "Send every AWS call (Security Hub, STS, EC2, S3) to this URL, e.g. the emulator's http://127.0.0.1:4566. Default: AWS (or AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>)." };
        var profile = new Option<string?>("--profile") { Description = "The AWS profile to take credentials from. Default: the SDK's default chain (environment, AWS_PROFILE, SSO, instance role)." };
        var home = new Option<string?>("--region") { Description = "The home Region for STS, EC2 DescribeRegions and S3. Default: AWS_REGION / AWS_DEFAULT_REGION, else the first of --regions, else us-east-1." };
        var kms = new Option<string?>("--kms-key-id") { Description = "KMS key ID or ARN for SSE-KMS on s3:// output (with an S3 Bucket Key). Default: the bucket's default encryption." };
        var api = new Option<string>("--api") { Description = "Which Security Hub API to page: v1 (GetFindings, ASFF findings of Security Hub CSPM, table findings) or v2 (GetFindingsV2, OCSF findings of the new Security Hub, table findings_ocsf; windows over finding_info.modified_time_dt, --filters in OcsfFindingFilters form, parts below findings/account_id=.../ocsf/).", DefaultValueFactory = _ => "v1" };
        var incremental = new Option<bool>("--incremental") { Description = "Keep the export current: with --checkpoint FILE, the first run is a full export and every later run exports only findings updated since the previous completed run's end minus --overlap, under a new export ID. A Region's watermark moves only when that Region completed, so a failed Region's next run covers the gap. Not with --since or --export-id." };
        var overlap = new Option<string?>("--overlap") { Description = "With --incremental: how far before the previous run's end each run starts again, for findings Security Hub makes visible late (eventual consistency), e.g. 15m, 90s, 1h, 0. Findings seen twice collapse in the findings_latest view. Default: 15m." };
        var partSize = new Option<int>("--part-size") { Description = "The most findings in one part (at least 100).", DefaultValueFactory = _ => 10_000 };

        var command = new Command(
            "export",
            "Export one account's Security Hub findings, all Regions in parallel at the GetFindings quota, into a folder or S3 bucket.\n" +
            "Exit codes: 0 every enabled Region completed (not-enabled Regions are skipped); 1 a Region failed (resume with --checkpoint); 2 bad input (nothing written); 3 no credentials or access denied (also when every failed Region was denied GetFindings); 130 interrupted (resume with --checkpoint).")
        {
            regions, output, format, filters, since, checkpoint, incremental, overlap, accountId, exportId, endpoint, profile, home, kms, partSize, api,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var settings = new ExportSettings
            {
                Regions = parse.GetValue(regions),
                Out = parse.GetValue(output)!,
                Format = parse.GetValue(format)!,
                Filters = parse.GetValue(filters),
                Since = parse.GetValue(since),
                Checkpoint = parse.GetValue(checkpoint),
                AccountId = parse.GetValue(accountId),
                ExportId = parse.GetValue(exportId),
                EndpointUrl = parse.GetValue(endpoint),
                Profile = parse.GetValue(profile),
                HomeRegion = parse.GetValue(home),
                KmsKeyId = parse.GetValue(kms),
                PartSize = parse.GetValue(partSize),
                Api = parse.GetValue(api)!,
                Incremental = parse.GetValue(incremental),
                Overlap = parse.GetValue(overlap),
            };
            return CommandHost.RunAsync(ct => new ExportRun(settings, Console.Out, TimeProvider.System).RunAsync(ct), cancellationToken);
        });
        return command;
    }
}
