using System.Text;
using SecHubFanout.Core.Formats;

namespace SecHubFanout.Core.Tests.Fakes;

/// <summary>A trivial format: one finding per line, then a footer line that proves the part was completed.</summary>
internal sealed class LinesFormat : IPartFormat
{
    public const string Footer = "#complete";

    public string Name => "lines";

    public string Extension => ".lines";

    public string ContentType => "text/plain";

    public IPartEncoder CreateEncoder(PartContext context, Stream output) => new Encoder(output);

    /// <summary>The findings (JSON lines) of a stored part; throws when the part was not completed.</summary>
    public static IReadOnlyList<string> ReadFindings(byte[] part)
    {
        var lines = Encoding.UTF8.GetString(part).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || lines[^1] != Footer)
        {
            throw new InvalidOperationException("The part has no footer: it was stored before it was completed.");
        }

        return lines[..^1];
    }

    private sealed class Encoder(Stream output) : IPartEncoder
    {
        private static readonly byte[] s_newLine = "\n"u8.ToArray();

        public int Count { get; private set; }

        public async ValueTask AddAsync(ReadOnlyMemory<byte> finding, CancellationToken cancellationToken)
        {
            await output.WriteAsync(finding, cancellationToken);
            await output.WriteAsync(s_newLine, cancellationToken);
            Count++;
        }

        public async ValueTask CompleteAsync(CancellationToken cancellationToken) =>
            await output.WriteAsync(Encoding.UTF8.GetBytes(Footer + "\n"), cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
