using System.Diagnostics;

namespace SecHubFanout.TestSupport;

/// <summary>Debian's headless Chromium (installed by this project's build) to render local HTML files: DOM after layout, screenshots.</summary>
public static class HeadlessChromium
{
    /// <summary>Where the build installs it.</summary>
    public const string Executable = "/usr/bin/chromium";

    /// <summary>The DOM of <paramref name="htmlFile"/> as Chromium serializes it after parsing and layout.</summary>
    public static async Task<string> DumpDomAsync(string htmlFile, CancellationToken cancellationToken = default) =>
        (await RunAsync(["--dump-dom", new Uri(htmlFile).AbsoluteUri], cancellationToken).ConfigureAwait(false)).Stdout;

    /// <summary>Renders <paramref name="htmlFile"/> into a PNG of the given window size.</summary>
    public static async Task ScreenshotAsync(string htmlFile, string pngFile, int width, int height, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(
            [$"--screenshot={pngFile}", $"--window-size={width},{height}", "--hide-scrollbars", new Uri(htmlFile).AbsoluteUri],
            cancellationToken).ConfigureAwait(false);
        if (!File.Exists(pngFile))
        {
            throw new InvalidOperationException($"chromium wrote no screenshot: {result.Stderr}");
        }
    }

    private static async Task<(string Stdout, string Stderr)> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: build tests/SecHubFanout.TestSupport as root (it installs Debian's chromium) or run 'apt-get install -y chromium'.");
        }

        var profile = Directory.CreateTempSubdirectory("sechub-chromium-");
        try
        {
            var info = new ProcessStartInfo(Executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };

            // No sandbox (root in CI), no GPU, and nothing that talks to the network: the pages are local files.
            foreach (var flag in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", $"--user-data-dir={profile.FullName}",
            }.Concat(arguments))
            {
                info.ArgumentList.Add(flag);
            }

            using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start chromium");
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(2));
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            var result = (await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"chromium exited with {process.ExitCode}: {result.Item2}");
            }

            return result;
        }
        finally
        {
            try
            {
                profile.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Chromium's helpers may still hold the profile for a moment.
            }
        }
    }
}
