using Polly.Timeout;
using Tapewatch.Infrastructure.Http;

namespace Tapewatch.Infrastructure.Flows;

/// <summary>What the flows sources share once a response is in: a capped body read and a failure description.</summary>
internal static class FlowsHttp
{
    /// <summary>Reads a body as text, refusing more than <paramref name="maxBytes"/>.</summary>
    internal static Task<string?> ReadCappedAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken) =>
        CappedBody.ReadTextAsync(content, maxBytes, cancellationToken);

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
