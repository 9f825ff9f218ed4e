namespace SecHubFanout.Core.Formats;

/// <summary>Removes insignificant whitespace from valid JSON, byte for byte: every string and number is copied unchanged.</summary>
internal static class JsonCompactor
{
    /// <summary>Writes the compact form of <paramref name="json"/> (already validated) into <paramref name="destination"/> and returns its length.</summary>
    public static int Compact(ReadOnlySpan<byte> json, Span<byte> destination)
    {
        var written = 0;
        var inString = false;
        var escaped = false;
        foreach (var b in json)
        {
            if (inString)
            {
                destination[written++] = b;
                if (escaped)
                {
                    escaped = false;
                }
                else if (b == (byte)'\\')
                {
                    escaped = true;
                }
                else if (b == (byte)'"')
                {
                    inString = false;
                }

                continue;
            }

            // Valid JSON has raw whitespace only between tokens (a raw newline inside a string is invalid), so dropping it changes no value.
            if (b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
            {
                continue;
            }

            if (b == (byte)'"')
            {
                inString = true;
            }

            destination[written++] = b;
        }

        return written;
    }
}
