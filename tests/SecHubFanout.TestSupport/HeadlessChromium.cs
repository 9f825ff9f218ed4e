using System.Diagnostics;

namespace SecHubFanout.TestSupport;

/// <summary>
/// Headless Chromium (or Chrome) to render local HTML files: DOM after layout, screenshots. Found, never installed: CHROME_PATH,
/// then chromium, chromium-browser or google-chrome on PATH, then the macOS applications.
/// </summary>
public static class HeadlessChromium
{
    /// <summary>The one line a test fails with when no Chromium is found.</summary>
    public const string MissingMessage =
        "headless Chromium not found: install it (Debian/Ubuntu: sudo apt-get install chromium; macOS: brew install --cask chromium), " +
        "set CHROME_PATH to a Chrome or Chromium executable, or run ./test.sh, which installs it on Debian when it can.";

    private static readonly string[] PathNames = ["chromium", "chromium-browser", "google-chrome"];

    private static readonly string[] MacApplications =
    [
        "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
        "/Applications/Chromium.app/Contents/MacOS/Chromium",
    ];

    /// <summary>The Chromium executable to run, or null when there is none.</summary>
    public static string? Find() => Find(Environment.GetEnvironmentVariable("CHROME_PATH"), Environment.GetEnvironmentVariable("PATH"));

    /// <summary>The lookup itself, over the given CHROME_PATH and PATH values.</summary>
    public static string? Find(string? chromePath, string? path)
    {
        if (!string.IsNullOrEmpty(chromePath))
        {
            return File.Exists(chromePath) ? Path.GetFullPath(chromePath) : null;
        }

        var directories = (path ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var extensions = OperatingSystem.IsWindows() ? new[] { ".exe", string.Empty } : [string.Empty];
        foreach (var name in PathNames)
        {
            foreach (var directory in directories)
            {
                foreach (var extension in extensions)
                {
                    var candidate = Path.Combine(directory, name + extension);
                    if (File.Exists(candidate))
                    {
                        return candidate;
                    }
                }
            }
        }

        return MacApplications.FirstOrDefault(File.Exists);
    }

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
        var executable = Find() ?? throw new ChromiumMissingException(
            Environment.GetEnvironmentVariable("CHROME_PATH") is { Length: > 0 } given
                ? $"CHROME_PATH is '{given}', which does not exist: point it at a Chrome or Chromium executable, or unset it to look on PATH."
                : MissingMessage);

        var profile = Directory.CreateTempSubdirectory("sechub-chromium-");
        try
        {
            var info = new ProcessStartInfo(executable)
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
