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
/// Reaches a member's exporter: assumes <c>arn:&lt;partition&gt;:iam::&lt;account&gt;:role/</c><see cref="FanoutNames.TriggerRole"/> once per
/// account (STS), then, as that role, lists the member's enabled Regions (EC2 <c>DescribeRegions</c>), stops a replaced execution (with the
/// executions it handed Regions on to) and
/// calls Step Functions <c>StartExecution</c> (JSON 1.0) on <see cref="FanoutNames.MemberStateMachine"/> in the home Region with the
/// execution name, which makes a repeated start of the same attempt harmless.
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
    public async Task<IMemberSession> OpenAsync(string accountId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        var roleArn = $"arn:{Arns.Partition(_region)}:iam::{accountId}:role/{FanoutNames.TriggerRole}";
        var credentials = await AssumeAsync(roleArn, accountId, cancellationToken).ConfigureAwait(false);
        return new Session(this, _clients.WithCredentials(credentials, accountId), accountId);
    }

    private async Task<AWSCredentials> AssumeAsync(string roleArn, string accountId, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _retry.ExecuteAsync(
                async ct => await _sts.AssumeRoleAsync(
                    new AssumeRoleRequest { RoleArn = roleArn, RoleSessionName = "sechub-fanout-launcher", DurationSeconds = 900 },
                    ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            var c = response.Credentials;
            return new SessionAWSCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken);
        }
        catch (AmazonServiceException e)
        {
            throw new ServiceCallException(
                ServiceErrorKind.AccessDenied,
                $"cannot assume {roleArn} ({e.ErrorCode}: {e.Message}): is the member exporter stack deployed in account {accountId} and does its trust policy name the launcher role {FanoutNames.LauncherRole}?",
                e.ErrorCode,
                (int)e.StatusCode,
                e);
        }
    }

    private sealed class Session(StepFunctionsExportStarter owner, AwsClients member, string accountId) : IMemberSession
    {
        public async Task<IReadOnlyList<string>> EnabledRegionsAsync(CancellationToken cancellationToken)
        {
            var catalog = member.CreateRegionCatalog();
            return await owner._retry.ExecuteAsync(async ct => await catalog.ListEnabledRegionsAsync(owner._region, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }

        public async Task<string> StartAsync(MemberExecution execution, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(execution);
            var body = new JsonObject
            {
                ["stateMachineArn"] = $"arn:{Arns.Partition(owner._region)}:states:{owner._region}:{accountId}:stateMachine:{FanoutNames.MemberStateMachine}",
                ["name"] = execution.ExecutionName,
                ["input"] = JsonSerializer.Serialize(execution.Input, OrchestrationJsonContext.Default.MemberExecutionInput),
            };
            var answer = await CallAsync("StartExecution", body, cancellationToken).ConfigureAwait(false);
            return JsonNode.Parse(answer)?["executionArn"]?.GetValue<string>()
                ?? throw new ServiceCallException(ServiceErrorKind.Transient, $"Step Functions StartExecution in account {accountId} answered without an executionArn");
        }

        public async Task StopAsync(string executionArn, string cause, CancellationToken cancellationToken)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(executionArn);
            await StopOneAsync(executionArn, cause, cancellationToken).ConfigureAwait(false);

            // Regions the replaced execution handed on go on in executions named after it: they write the same keys, so they stop too.
            var root = executionArn[(executionArn.LastIndexOf(':') + 1)..];
            string? next = null;
            do
            {
                var list = new JsonObject
                {
                    ["stateMachineArn"] = $"arn:{Arns.Partition(owner._region)}:states:{owner._region}:{accountId}:stateMachine:{FanoutNames.MemberStateMachine}",
                    ["statusFilter"] = "RUNNING",
                    ["maxResults"] = 1000,
                };
                if (next is not null)
                {
                    list["nextToken"] = next;
                }

                var page = JsonNode.Parse(await CallAsync("ListExecutions", list, cancellationToken).ConfigureAwait(false));
                foreach (var execution in page?["executions"]?.AsArray() ?? [])
                {
                    if (execution?["name"]?.GetValue<string>() is { } name && MemberExecutionNames.IsContinuationOf(name, root)
                        && execution["executionArn"]?.GetValue<string>() is { } continuation)
                    {
                        await StopOneAsync(continuation, cause, cancellationToken).ConfigureAwait(false);
                    }
                }

                next = page?["nextToken"]?.GetValue<string>();
            }
            while (next is not null);
        }

        // StopExecution of an execution that already ended succeeds: nothing to tell apart here.
        private async Task StopOneAsync(string executionArn, string cause, CancellationToken cancellationToken) =>
            await CallAsync("StopExecution", new JsonObject { ["executionArn"] = executionArn, ["error"] = "SecHubFanout.Replaced", ["cause"] = cause }, cancellationToken).ConfigureAwait(false);

        public ValueTask DisposeAsync()
        {
            member.Dispose();
            return ValueTask.CompletedTask;
        }

        private async Task<byte[]> CallAsync(string operation, JsonObject body, CancellationToken cancellationToken)
        {
            var context = new AwsCallContext(AwsService.StepFunctions, owner._region, operation) { AccountId = accountId };
            return await owner._retry.ExecuteAsync(
                async ct => await member.Json.InvokeAsync(context, JsonSerializer.SerializeToUtf8Bytes(body, JsonNodeContext.Default.JsonObject), ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }
    }
}
