using System.Text;

namespace Tapewatch.Infrastructure.Http;

/// <summary>
/// Reads a request or response body up to a byte limit. A body above the limit is refused (null) as soon as the limit is
/// passed, whatever its Content-Length said (a chunked answer has none), so an oversized body is never held whole.
/// </summary>
internal static class CappedBody
{
    private const int ChunkBytes = 81920;

    /// <summary>The bytes of <paramref name="stream"/>, or null when there are more than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[ChunkBytes];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes) return null;
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>The bytes of <paramref name="content"/>, or null when it declares or has more than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength is { } length && length > maxBytes) return null;
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await ReadAsync(stream, maxBytes, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The text of <paramref name="content"/> in the charset its Content-Type names (UTF-8 when it names none or one this
    /// runtime does not know; a byte order mark is dropped), or null when it is larger than <paramref name="maxBytes"/>.
    /// </summary>
    public static async Task<string?> ReadTextAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        var bytes = await ReadAsync(content, maxBytes, cancellationToken).ConfigureAwait(false);
        return bytes is null ? null : Decode(bytes, content.Headers.ContentType?.CharSet);
    }

    /// <summary>UTF-8 text of a body read with <see cref="ReadAsync(Stream, int, CancellationToken)"/> (a byte order mark is dropped).</summary>
    public static string Decode(byte[] bytes, string? charset = null)
    {
        Encoding encoding;
        try
        {
            encoding = string.IsNullOrWhiteSpace(charset) ? Encoding.UTF8 : Encoding.GetEncoding(charset.Trim('"'));
        }
        catch (ArgumentException)
        {
            encoding = Encoding.UTF8;
        }

        var preamble = encoding.Preamble;
        var skip = preamble.Length > 0 && bytes.AsSpan().StartsWith(preamble) ? preamble.Length : 0;
        return encoding.GetString(bytes, skip, bytes.Length - skip);
    }
}
