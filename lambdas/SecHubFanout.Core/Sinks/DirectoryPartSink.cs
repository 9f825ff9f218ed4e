namespace SecHubFanout.Core.Sinks;

/// <summary>Stores parts as files below a local folder, with the same key layout as the bucket; a part appears whole or not at all.</summary>
public sealed class DirectoryPartSink : IPartSink
{
    private readonly string _root;

    /// <summary>Creates a sink rooted at <paramref name="root"/> (created when missing).</summary>
    public DirectoryPartSink(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.GetFullPath(root);
    }

    /// <summary>The full path of the root folder.</summary>
    public string Root => _root;

    /// <inheritdoc/>
    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var target = PathOf(key);
        var folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);

        // Written beside the target and renamed over it: a crash leaves at most a hidden .tmp file, never a half part under the final name.
        var temp = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16, useAsync: true);
            await using (file.ConfigureAwait(false))
            {
                await content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <inheritdoc/>
    public string Describe(string key) => PathOf(key);

    private string PathOf(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        var segments = key.Split('/');
        if (key.StartsWith('/') || key.Contains('\\', StringComparison.Ordinal) || segments.Any(s => s.Length == 0 || s is "." or ".."))
        {
            throw new ArgumentException($"Part key '{key}' is not a relative key of non-empty segments separated by '/'.", nameof(key));
        }

        var path = Path.GetFullPath(Path.Combine([_root, .. segments]));
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Part key '{key}' points outside {_root}.", nameof(key));
        }

        return path;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover hidden .tmp file is harmless and never read as a part.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
