using System.Globalization;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using SecHubFanout.Aws.Protocols;
using SecHubFanout.Core.Errors;
using SecHubFanout.Core.Export;

namespace SecHubFanout.Aws.Ssm;

/// <summary>
/// Keeps each export's running finding count as an SSM String parameter <c>&lt;prefix&gt;&lt;exportId&gt;/&lt;region&gt;</c> in the member
/// account (one parameter per export and Region, overwritten), as the single-account AWS sample does with <c>/sechubexport/findingcount</c>.
/// </summary>
public sealed class SsmFindingCounter : IFindingCounter
{
    private readonly IAmazonSimpleSystemsManagement _ssm;
    private readonly string _prefix;

    /// <summary>Creates a counter writing below <paramref name="prefix"/> (a path that starts and ends with '/', e.g. <c>/sechub-fanout/exports/</c>).</summary>
    public SsmFindingCounter(IAmazonSimpleSystemsManagement ssm, string prefix)
    {
        ArgumentNullException.ThrowIfNull(ssm);
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length < 2 || !prefix.StartsWith('/') || !prefix.EndsWith('/'))
        {
            throw new ArgumentException($"The count parameter prefix '{prefix}' must be a path that starts and ends with '/', for example /sechub-fanout/exports/.", nameof(prefix));
        }

        _ssm = ssm;
        _prefix = prefix;
    }

    /// <summary>The parameter name of one export and Region.</summary>
    public string ParameterName(string exportId, string region) => $"{_prefix}{exportId}/{region}";

    /// <inheritdoc/>
    public async Task PublishAsync(string exportId, string region, long findings, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(exportId);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        ArgumentOutOfRangeException.ThrowIfNegative(findings);
        var name = ParameterName(exportId, region);
        var request = new PutParameterRequest
        {
            Name = name,
            Value = findings.ToString(CultureInfo.InvariantCulture),
            Type = ParameterType.String,
            Overwrite = true,
        };
        try
        {
            await _ssm.PutParameterAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonServiceException e)
        {
            var kind = AwsErrorMapper.Classify((int)e.StatusCode, e.ErrorCode, e.Message);
            var hint = kind == ServiceErrorKind.AccessDenied ? $" The exporter role needs ssm:PutParameter on parameter {name}." : string.Empty;
            throw new ServiceCallException(kind, $"Updating the finding count parameter {name} failed ({e.ErrorCode ?? ((int)e.StatusCode).ToString(CultureInfo.InvariantCulture)}): {e.Message}.{hint}", e.ErrorCode, (int)e.StatusCode, e);
        }
        catch (HttpRequestException e)
        {
            throw new ServiceCallException(ServiceErrorKind.Transient, $"Updating the finding count parameter {name} failed before SSM answered: {e.Message}", innerException: e);
        }
    }
}
