using Amazon.CDK;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Lambda;

namespace SecHubFanout.Cdk.Constructs;

/// <summary>What the member state machine drives and where it reports.</summary>
public sealed class ExporterStateMachineProps
{
    /// <summary>The exporter Lambda invoked once per page budget and Region.</summary>
    public required IFunction Exporter { get; init; }

    /// <summary>The exporter's function timeout; an invocation the Lambda service does not end by then (plus a margin) is a <c>States.Timeout</c>.</summary>
    public required Duration ExporterTimeout { get; init; }

    /// <summary>The central event bus that receives every Region result and the account summary.</summary>
    public required IEventBus CentralBus { get; init; }

    /// <summary>The central findings bucket's name.</summary>
    public required string FindingsBucketName { get; init; }

    /// <summary>The central KMS key's ARN.</summary>
    public required string FindingsKeyArn { get; init; }

    /// <summary>Comma-separated default Regions (may be a token; empty means every enabled Region).</summary>
    public required string DefaultRegionsCsv { get; init; }

    /// <summary>How many Regions export at once (may be a token).</summary>
    public required double MaxConcurrency { get; init; }
}
