using SecHubFanout.Aws;
using SecHubFanout.Aws.Auth;
using SecHubFanout.Aws.Ledger;
using SecHubFanout.Aws.Orchestration;
using SecHubFanout.Core.Deployment;
using SecHubFanout.Core.Orchestration;
using SecHubFanout.Core.Resilience;

namespace SecHubFanout.Coordinator;

/// <summary>The real dependencies of the central Lambdas, built once per container from <see cref="CentralOptions"/>.</summary>
internal sealed class CentralServices
{
    private CentralServices(ExportCoordinator coordinator, ExportLauncher launcher, ExportReconciler reconciler)
    {
        Coordinator = coordinator;
        Launcher = launcher;
        Reconciler = reconciler;
    }

    public ExportCoordinator Coordinator { get; }

    public ExportLauncher Launcher { get; }

    public ExportReconciler Reconciler { get; }

    public static async Task<CentralServices> CreateAsync(CentralOptions options, CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        var clients = await AwsClients.CreateAsync(new AwsClientOptions { Region = options.Region }, cancellationToken).ConfigureAwait(false);
        var retry = RetryPipeline.Create(new RetryOptions(), time);
        var ledger = new DynamoDbLedger(clients.CreateDynamoDbClient(), options.LedgerTable);
        var coordinator = new ExportCoordinator(
            ledger,
            new SnsNotifier(clients.Query, options.TopicArn, retry),
            new S3ManifestStore(clients.CreateS3Client(), options.FindingsBucket, options.FindingsKmsKeyArn, options.FindingsBucketOwner),
            new GluePartitionRegistrar(clients.Json, options.GlueDatabase, options.GlueTable, options.FindingsBucket, options.Region, retry, options.GlueOcsfTable),
            new CoordinatorOptions { FindingsBucket = options.FindingsBucket, GlueDatabase = options.GlueDatabase, GlueTable = options.GlueTable, AthenaWorkgroup = options.AthenaWorkgroup },
            time);
        IAccountDirectory directory = options.StackSetName is { } stackSet
            ? new StackSetAccountDirectory(clients.Query, stackSet, options.CallAs, options.Region, retry)
            : new OrganizationsAccountDirectory(clients.Json, retry);
        var sts = clients.CreateStsClient();
        IReadOnlyList<string> alsoLaunch = options.IncludeThisAccount ? [await new CallerAccount(sts).GetAsync(cancellationToken).ConfigureAwait(false)] : [];
        var launcher = new ExportLauncher(
            ledger,
            directory,
            new StepFunctionsExportStarter(clients, sts, options.Region, retry),
            coordinator,
            new LauncherOptions { MaxConcurrency = options.MaxConcurrency, DefaultRegions = options.DefaultRegions, AlsoLaunch = alsoLaunch },
            time,
            new LambdaLauncherClient(clients.RestJson, Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME") ?? FanoutNames.LauncherFunction, options.Region));
        var reconciler = new ExportReconciler(ledger, coordinator, new ReconcilerOptions { SilentAfter = options.SilentAfter }, time);
        return new CentralServices(coordinator, launcher, reconciler);
    }
}
