using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Polly;
using SecHubFanout.Aws.Endpoints;
using SecHubFanout.Aws.Protocols;
using SecHubFanout.Core.Deployment;
using SecHubFanout.Core.Errors;
using SecHubFanout.Core.Orchestration;

namespace SecHubFanout.Aws.Orchestration;

/// <summary>
/// Starts a member's exporter: assumes <c>arn:&lt;partition&gt;:iam::&lt;account&gt;:role/</c><see cref="FanoutNames.TriggerRole"/> (STS),
/// then calls Step Functions <c>StartExecution</c> (JSON 1.0) on <see cref="FanoutNames.MemberStateMachine"/> in the home Region
/// with the execution name, which makes a repeated start of the same attempt harmless.
/// </summary>
public sealed class StepFunctionsExportStarter : IExportStarter
{
    private readonly AwsClients _clients;
    private readonly IAmazonSecurityTokenService _sts;
    private readonly string _region;
    private readonly ResiliencePipeline _retry;

    /// <summary>Creates the starter: <paramref name="clients"/> signs as the launcher, <paramref name="sts"/> assumes the member roles, <paramref name="region"/> is where the member stacks live.</summary>
    public StepFunctionsExportStarter(AwsClients clients, IAmazonSecurityTokenService sts, string region, ResiliencePipeline retry)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        _clients = clients ?? throw new ArgumentNullException(nameof(clients));
        _sts = sts ?? throw new ArgumentNullException(nameof(sts));
        _region = region;
        _retry = retry ?? throw new ArgumentNullException(nameof(retry));
    }

    /// <inheritdoc/>
    public async Task<string> StartAsync(MemberExecution execution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var partition = Arns.Partition(_region);
        var roleArn = $"arn:{partition}:iam::{execution.AccountId}:role/{FanoutNames.TriggerRole}";
        var credentials = await AssumeAsync(roleArn, execution, cancellationToken).ConfigureAwait(false);
        using var member = _clients.WithCredentials(credentials, execution.AccountId);
        var body = new JsonObject
        {
            ["stateMachineArn"] = $"arn:{partition}:states:{_region}:{execution.AccountId}:stateMachine:{FanoutNames.MemberStateMachine}",
            ["name"] = execution.ExecutionName,
            ["input"] = JsonSerializer.Serialize(execution.Input, OrchestrationJsonContext.Default.MemberExecutionInput),
        };
        var context = new AwsCallContext(AwsService.StepFunctions, _region, "StartExecution") { AccountId = execution.AccountId };
        var answer = await _retry.ExecuteAsync(
            async ct => await member.Json.InvokeAsync(context, JsonSerializer.SerializeToUtf8Bytes(body, JsonNodeContext.Default.JsonObject), ct).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        return JsonNode.Parse(answer)?["executionArn"]?.GetValue<string>()
            ?? throw new ServiceCallException(ServiceErrorKind.Transient, $"Step Functions StartExecution in account {execution.AccountId} answered without an executionArn");
    }

    private async Task<AWSCredentials> AssumeAsync(string roleArn, MemberExecution execution, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _retry.ExecuteAsync(
                async ct => await _sts.AssumeRoleAsync(
                    new AssumeRoleRequest { RoleArn = roleArn, RoleSessionName = ("sechub-fanout-" + execution.ExecutionName)[..Math.Min(64, 14 + execution.ExecutionName.Length)], DurationSeconds = 900 },
                    ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            var c = response.Credentials;
            return new SessionAWSCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken);
        }
        catch (AmazonServiceException e)
        {
            throw new ServiceCallException(
                ServiceErrorKind.AccessDenied,
                $"cannot assume {roleArn} ({e.ErrorCode}: {e.Message}): is the member exporter stack deployed in account {execution.AccountId} and does its trust policy name the launcher role {FanoutNames.LauncherRole}?",
                e.ErrorCode,
                (int)e.StatusCode,
                e);
        }
    }
}
