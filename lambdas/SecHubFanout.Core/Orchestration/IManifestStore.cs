namespace SecHubFanout.Core.Orchestration;

/// <summary>Stores export manifests next to the data.</summary>
public interface IManifestStore
{
    /// <summary>Writes <paramref name="manifestJson"/> as <c>manifests/&lt;exportId&gt;.json</c> and returns its location (for example an s3:// URI).</summary>
    Task<string> WriteAsync(string exportId, Stream manifestJson, CancellationToken cancellationToken);
}
