namespace SecHubFanout.Core.Formats;

/// <summary>An output format (Parquet, JSONL.gz): names its files and makes encoders for parts.</summary>
public interface IPartFormat
{
    /// <summary>The format's name on the command line (<c>parquet</c>, <c>jsonl</c>).</summary>
    string Name { get; }

    /// <summary>The file extension of a part, with its dot (<c>.parquet</c>, <c>.jsonl.gz</c>).</summary>
    string Extension { get; }

    /// <summary>The Content-Type of a stored part.</summary>
    string ContentType { get; }

    /// <summary>Starts a part that encodes findings into <paramref name="output"/> (left open when the encoder completes).</summary>
    IPartEncoder CreateEncoder(PartContext context, Stream output);
}
