using System.Net.Http.Headers;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using SecHubFanout.Aws.Signing;
using SecHubFanout.Core.Errors;

namespace SecHubFanout.Aws.Protocols;

/// <summary>
/// Calls query-protocol services (EC2, SNS, CloudFormation, STS): <c>POST /</c> with a form body
/// <c>Action=&lt;Operation&gt;&amp;Version=&lt;ApiVersion&gt;&amp;...</c> and an XML answer; one attempt per call, errors as <see cref="ServiceCallException"/>.
/// </summary>
public sealed class QueryProtocolClient
{
    private static readonly MediaTypeHeaderValue FormMediaType = new("application/x-www-form-urlencoded") { CharSet = "utf-8" };

    private readonly AwsWire _wire;

    /// <summary>Creates a client over an <see cref="HttpClient"/> whose pipeline contains a <see cref="SigV4SigningHandler"/>.</summary>
    public QueryProtocolClient(HttpClient signedHttpClient, Endpoints.AwsEndpointResolver endpoints)
    {
        _wire = new AwsWire(signedHttpClient, endpoints);
    }

    /// <summary>Invokes <c>context.Operation</c> with flattened parameters (for example <c>Filter.1.Name</c>) and returns the root element of the XML answer.</summary>
    public async Task<XElement> InvokeAsync(AwsCallContext context, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(parameters);
        var service = context.Service;
        if (service.ApiVersion is null)
        {
            throw new ArgumentException($"{service.DisplayName} is not a query-protocol service (no ApiVersion).", nameof(context));
        }

        var form = new StringBuilder();
        form.Append("Action=").Append(SigV4.UriEncode(context.Operation)).Append("&Version=").Append(SigV4.UriEncode(service.ApiVersion));
        foreach (var (name, value) in parameters)
        {
            form.Append('&').Append(SigV4.UriEncode(name)).Append('=').Append(SigV4.UriEncode(value));
        }

        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(form.ToString()));
        content.Headers.ContentType = FormMediaType;
        var body = await _wire.SendAsync(context, HttpMethod.Post, "/", content, null, cancellationToken).ConfigureAwait(false);
        try
        {
            return SafeXml.Load(body);
        }
        catch (XmlException e)
        {
            throw new ServiceCallException(
                ServiceErrorKind.Transient,
                $"{service.DisplayName} {context.Operation} in {context.Region} answered with malformed XML ({e.Message}): it is retried; if it persists, check the endpoint URL.",
                innerException: e);
        }
    }
}
