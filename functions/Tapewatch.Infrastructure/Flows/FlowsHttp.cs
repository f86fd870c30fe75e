using System.Text;
using Polly.Timeout;

namespace Tapewatch.Infrastructure.Flows;

/// <summary>What the flows sources share once a response is in: a capped body read and a failure description.</summary>
internal static class FlowsHttp
{
    /// <summary>Reads a body as text, refusing more than <paramref name="maxBytes"/>.</summary>
    internal static async Task<string?> ReadCappedAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength is > 0 and var length && length > maxBytes) return null;
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes) return null;
            buffer.Write(chunk, 0, read);
        }

        var charset = content.Headers.ContentType?.CharSet;
        Encoding encoding;
        try
        {
            encoding = string.IsNullOrWhiteSpace(charset) ? Encoding.UTF8 : Encoding.GetEncoding(charset.Trim('"'));
        }
        catch (ArgumentException)
        {
            encoding = Encoding.UTF8;
        }

        return encoding.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>A short, secret-free description of a transport failure.</summary>
    internal static string Describe(Exception ex) => ex switch
    {
        TimeoutRejectedException => "timed out",
        TaskCanceledException => "timed out",
        HttpRequestException { StatusCode: { } s } h => $"HTTP {(int)s}: {h.Message}",
        HttpRequestException h => "network error: " + h.Message,
        _ => ex.GetType().Name + ": " + ex.Message,
    };
}
