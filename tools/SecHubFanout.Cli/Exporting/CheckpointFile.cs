using System.Text.Json;
using SecHubFanout.Cli.Infrastructure;
using SecHubFanout.Core.Checkpoints;

namespace SecHubFanout.Cli.Exporting;

/// <summary>
/// The <c>--checkpoint</c> file: read once at start, rewritten atomically (temporary file, then rename) whenever a Region's checkpoint
/// advances, so a crash at any instant leaves the previous or the next whole file.
/// </summary>
internal sealed class CheckpointFile : IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly Dictionary<string, ExportCheckpoint> _checkpoints = new(StringComparer.Ordinal);
    private CheckpointFileData _data;

    private CheckpointFile(string path, CheckpointFileData data)
    {
        Path = path;
        _data = data;
        foreach (var checkpoint in data.Checkpoints)
        {
            _checkpoints[checkpoint.Region] = checkpoint;
        }
    }

    public string Path { get; }

    public CheckpointFileData Data => _data;

    /// <summary>Reads an existing checkpoint file; null when there is none. Throws <see cref="UsageException"/> when it cannot be used.</summary>
    public static CheckpointFileData? Load(string path)
    {
        if (!File.Exists(path))
        {
            var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
            if (!Directory.Exists(folder))
            {
                throw new UsageException($"--checkpoint {path}: folder '{folder}' does not exist. Create it, or put the checkpoint file elsewhere.");
            }

            return null;
        }

        CheckpointFileData? data;
        try
        {
            data = JsonSerializer.Deserialize(File.ReadAllText(path), CliJsonContext.Default.CheckpointFileData);
        }
        catch (JsonException e)
        {
            throw new UsageException($"--checkpoint {path} is not a sechub-fanout checkpoint file ({e.Message}). Delete it to start a new export.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--checkpoint {path} cannot be read ({e.Message}).", e);
        }

        if (data is null || data.ExportId is null || data.AccountId is null || data.Regions is null || data.Checkpoints is null || data.FiltersFingerprint is null || data.Output is null || data.Format is null)
        {
            throw new UsageException($"--checkpoint {path} is incomplete. Delete it to start a new export.");
        }

        if (data.Version != CheckpointFileData.CurrentVersion)
        {
            throw new UsageException($"--checkpoint {path} has version {data.Version}; this program reads version {CheckpointFileData.CurrentVersion}. Delete it to start a new export.");
        }

        try
        {
            // The engine's own parser checks each Region's windows; a hand-edited file is refused here, not half-way through.
            var checkpoints = data.Checkpoints.Select(c => ExportCheckpoint.Parse(c.ToJson())).ToList();
            if (checkpoints.Any(c => c.ExportId != data.ExportId || c.AccountId != data.AccountId || c.End != data.End))
            {
                throw new FormatException("a Region's checkpoint belongs to another export.");
            }

            return data with { Checkpoints = checkpoints };
        }
        catch (FormatException e)
        {
            throw new UsageException($"--checkpoint {path}: {e.Message}", e);
        }
    }

    /// <summary>Starts keeping <paramref name="data"/> at <paramref name="path"/>; nothing is written until <see cref="SaveAsync"/> or <see cref="UpdateAsync"/>.</summary>
    public static CheckpointFile Open(string path, CheckpointFileData data) => new(System.IO.Path.GetFullPath(path), data);

    /// <summary>Records a Region's new checkpoint and rewrites the file.</summary>
    public async Task SaveAsync(ExportCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        // Not the caller's token: a checkpoint whose part is already stored is worth writing even while Ctrl+C stops the export.
        await _turn.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            _checkpoints[checkpoint.Region] = checkpoint;
            _data = _data with { Checkpoints = _data.Regions.Where(_checkpoints.ContainsKey).Select(r => _checkpoints[r]).ToList() };
            await WriteAsync().ConfigureAwait(false);
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Changes the file's header (for example marks the export complete) and rewrites it.</summary>
    public async Task UpdateAsync(Func<CheckpointFileData, CheckpointFileData> change)
    {
        await _turn.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            _data = change(_data);
            await WriteAsync().ConfigureAwait(false);
        }
        finally
        {
            _turn.Release();
        }
    }

    public void Dispose() => _turn.Dispose();

    private async Task WriteAsync()
    {
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        var temp = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(Path)}.{Guid.NewGuid():N}.tmp");
        var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            await JsonSerializer.SerializeAsync(stream, _data, CliJsonContext.Default.CheckpointFileData).ConfigureAwait(false);
            await stream.FlushAsync().ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, Path, overwrite: true);
    }
}
