namespace SecHubFanout.Core.Sinks;

/// <summary>Where finished parts go (a local directory, an S3 bucket); a put under the same key replaces the object whole.</summary>
public interface IPartSink
{
    /// <summary>Stores <paramref name="content"/> (read to its end) under <paramref name="key"/>, durably, before returning.</summary>
    Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken);

    /// <summary>A human-readable location for a key (a path, or <c>s3://bucket/key</c>).</summary>
    string Describe(string key);
}
