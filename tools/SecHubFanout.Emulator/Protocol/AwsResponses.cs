using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Xml;
using Microsoft.AspNetCore.Http;

namespace SecHubFanout.Emulator.Protocol;

/// <summary>Error and success envelopes in the shapes AWS's SDKs parse: rest-json errors with x-amzn-ErrorType, query-protocol XML.</summary>
internal static class AwsResponses
{
    public static Task JsonErrorAsync(HttpContext context, int status, string errorType, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers["x-amzn-ErrorType"] = errorType;
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("Message", message);
            w.WriteString("Code", errorType);
            w.WriteEndObject();
        }

        return context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).AsTask();
    }

    /// <summary>STS errors: ErrorResponse/Error/{Type,Code,Message}.</summary>
    public static Task StsErrorAsync(HttpContext context, int status, string code, string message) =>
        XmlAsync(context, status, w =>
        {
            w.WriteStartElement("ErrorResponse", "https://sts.amazonaws.com/doc/2011-06-15/");
            w.WriteStartElement("Error");
            w.WriteElementString("Type", status >= 500 ? "Receiver" : "Sender");
            w.WriteElementString("Code", code);
            w.WriteElementString("Message", message);
            w.WriteEndElement();
            w.WriteElementString("RequestId", context.TraceIdentifier);
            w.WriteEndElement();
        });

    /// <summary>EC2 errors: Response/Errors/Error/{Code,Message}.</summary>
    public static Task Ec2ErrorAsync(HttpContext context, int status, string code, string message) =>
        XmlAsync(context, status, w =>
        {
            w.WriteStartElement("Response");
            w.WriteStartElement("Errors");
            w.WriteStartElement("Error");
            w.WriteElementString("Code", code);
            w.WriteElementString("Message", message);
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteElementString("RequestID", context.TraceIdentifier);
            w.WriteEndElement();
        });

    public static async Task XmlAsync(HttpContext context, int status, Action<XmlWriter> write)
    {
        var sb = new StringBuilder();
        using (var w = XmlWriter.Create(sb, new XmlWriterSettings { OmitXmlDeclaration = true }))
        {
            write(w);
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "text/xml";
        await context.Response.WriteAsync(sb.ToString(), context.RequestAborted).ConfigureAwait(false);
    }
}
