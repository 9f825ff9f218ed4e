using System.Xml;
using System.Xml.Linq;

namespace SecHubFanout.Aws.Protocols;

/// <summary>Loads XML answers without DTDs or external resolution (answers may come from any endpoint the user configured).</summary>
internal static class SafeXml
{
    private static readonly XmlReaderSettings Settings = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };

    /// <summary>Parses <paramref name="utf8"/> into its root element; throws <see cref="XmlException"/> when it is not XML.</summary>
    public static XElement Load(ReadOnlySpan<byte> utf8)
    {
        using var stream = new MemoryStream(utf8.ToArray(), writable: false);
        using var reader = XmlReader.Create(stream, Settings);
        return XElement.Load(reader);
    }
}
