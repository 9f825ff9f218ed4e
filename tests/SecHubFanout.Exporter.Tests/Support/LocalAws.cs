using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Parquet;
using SecHubFanout.Aws;
using SecHubFanout.Emulator;
using SecHubFanout.TestSupport;

namespace SecHubFanout.Exporter.Tests.Support;

/// <summary>Clients for the local servers (emulator, s3rver, dynalite) and reading exported parts back.</summary>
internal static class LocalAws
{
    public const string Bucket = "central-findings";
    public const string KmsKeyArn = "arn:aws:kms:us-east-1:999988887777:key/0f0e0d0c-1111-2222-3333-444455556666";

    /// <summary>Clients that sign as <paramref name="account"/> against the emulator (its access key ID is the account).</summary>
    public static AwsClients Member(SecurityHubEmulator emulator, string account) => AwsClients.Create(new AwsClientOptions
    {
        Credentials = new BasicAWSCredentials(account, "test"),
        EndpointUrl = emulator.Endpoint,
        Region = "us-east-1",
        Timeout = TimeSpan.FromSeconds(10),
        Environment = static _ => null,
    });

    /// <summary>Clients for s3rver (its fixed credentials).</summary>
    public static AwsClients S3(S3rverServer server) => AwsClients.Create(new AwsClientOptions
    {
        Credentials = new BasicAWSCredentials(S3rverServer.AccessKey, S3rverServer.SecretKey),
        EndpointUrl = server.Endpoint,
        Region = "us-east-1",
        Environment = static _ => null,
    });

    /// <summary>Clients for dynalite (any credentials).</summary>
    public static AwsClients DynamoDb(DynaliteServer server) => AwsClients.Create(new AwsClientOptions
    {
        Credentials = new BasicAWSCredentials("local", "local"),
        EndpointUrl = server.Endpoint,
        Region = "us-east-1",
        Environment = static _ => null,
    });

    public static async Task<IReadOnlyList<string>> KeysAsync(IAmazonS3 s3, string prefix, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        string? token = null;
        do
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix, ContinuationToken = token }, cancellationToken);
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
        return keys;
    }

    /// <summary>The finding IDs in every Parquet part below <paramref name="prefix"/>, with repeats.</summary>
    public static async Task<List<string>> ExportedIdsAsync(IAmazonS3 s3, string prefix, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        foreach (var key in await KeysAsync(s3, prefix, cancellationToken))
        {
            using var response = await s3.GetObjectAsync(Bucket, key, cancellationToken);
            using var body = new MemoryStream();
            await response.ResponseStream.CopyToAsync(body, cancellationToken);
            body.Position = 0;
            await using var reader = await ParquetReader.CreateAsync(body, cancellationToken: cancellationToken);
            // ASFF parts name the ID column id, OCSF (GetFindingsV2) parts finding_uid.
            var idField = reader.Schema.DataFields.Single(f => f.Name is "id" or "finding_uid");
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var rowGroup = reader.OpenRowGroupReader(g);
                var values = new string?[(int)rowGroup.RowCount];
                await rowGroup.ReadAsync(idField, values.AsMemory(), null, cancellationToken);
                ids.AddRange(values.Select(v => v!));
            }
        }

        return ids;
    }
}
