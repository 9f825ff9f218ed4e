using SecHubFanout.Aws;
using SecHubFanout.Aws.Ledger;
using SecHubFanout.Aws.Orchestration;
using SecHubFanout.Core.Orchestration;
using SecHubFanout.Core.Resilience;

namespace SecHubFanout.Coordinator;

/// <summary>The real dependencies of both central Lambdas, built once per container from <see cref="CentralOptions"/>.</summary>
internal sealed class CentralServices
{
    private CentralServices(ExportCoordinator coordinator, ExportLauncher launcher)
    {
        Coordinator = coordinator;
        Launcher = launcher;
    }

    public ExportCoordinator Coordinator { get; }

    public ExportLauncher Launcher { get; }

    public static async Task<CentralServices> CreateAsync(CentralOptions options, CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        var clients = await AwsClients.CreateAsync(new AwsClientOptions { Region = options.Region }, cancellationToken).ConfigureAwait(false);
        var retry = RetryPipeline.Create(new RetryOptions(), time);
        var ledger = new DynamoDbLedger(clients.CreateDynamoDbClient(), options.LedgerTable);
        var coordinator = new ExportCoordinator(
            ledger,
            new SnsNotifier(clients.Query, options.TopicArn, retry),
            new S3ManifestStore(clients.CreateS3Client(), options.FindingsBucket, options.FindingsKmsKeyArn),
            new GluePartitionRegistrar(clients.Json, options.GlueDatabase, options.GlueTable, options.FindingsBucket, options.Region, retry),
            new CoordinatorOptions { FindingsBucket = options.FindingsBucket, GlueDatabase = options.GlueDatabase, GlueTable = options.GlueTable, AthenaWorkgroup = options.AthenaWorkgroup },
            time);
        IAccountDirectory directory = options.StackSetName is { } stackSet
            ? new StackSetAccountDirectory(clients.Query, stackSet, options.CallAs, options.Region, retry)
            : new OrganizationsAccountDirectory(clients.Json, retry);
        var launcher = new ExportLauncher(
            ledger,
            directory,
            new StepFunctionsExportStarter(clients, clients.CreateStsClient(), options.Region, retry),
            coordinator,
            new LauncherOptions { MaxConcurrency = options.MaxConcurrency, DefaultRegions = options.DefaultRegions },
            time,
            new Ec2RegionDirectory(clients.CreateRegionCatalog(), options.Region, retry));
        return new CentralServices(coordinator, launcher);
    }
}
