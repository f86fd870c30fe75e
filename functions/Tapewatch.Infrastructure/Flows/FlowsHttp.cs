using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;
using Tapewatch.Core.Flows;

namespace Tapewatch.Infrastructure.Flows;

/// <summary>The HTTP client setup every flows source shares: User-Agent and one resilience pipeline.</summary>
public static class FlowsHttp
{
    public const string UserAgent = Hosting.AppIdentity.UserAgent;

    /// <summary>
    /// Total timeout → retry (exponential back-off with jitter on 5xx/408/429 and network errors, honouring
    /// Retry-After up to <see cref="FlowsHttpOptions.MaxRetryAfter"/>; never 401/403/451, never a response
    /// Cloudflare marks as a challenge) → per-attempt timeout.
    /// </summary>
    public static IHttpClientBuilder AddFlowsResilience(this IHttpClientBuilder builder, string pipelineName)
    {
        builder.ConfigureHttpClient((sp, client) =>
        {
            var http = sp.GetRequiredService<IOptions<FlowsOptions>>().Value.Http;
            client.Timeout = http.TotalTimeout + TimeSpan.FromSeconds(5);
            client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        });
        builder.AddResilienceHandler(pipelineName, (pipeline, context) =>
        {
            var http = context.ServiceProvider.GetRequiredService<IOptions<FlowsOptions>>().Value.Http;
            pipeline.AddTimeout(http.TotalTimeout);
            if (http.MaxRetries > 0)
            {
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = http.MaxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = http.RetryBaseDelay,
                    MaxDelay = http.MaxRetryAfter > http.RetryBaseDelay ? http.MaxRetryAfter : http.RetryBaseDelay,
                    ShouldRetryAfterHeader = false,
                    ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome)),
                    DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, http.MaxRetryAfter, context.ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System)),
                });
            }

            pipeline.AddTimeout(http.AttemptTimeout);
        });
        return builder;
    }

    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome)
    {
        if (outcome.Result is { } response)
        {
            if (response.Headers.TryGetValues("cf-mitigated", out _)) return false;
            var code = (int)response.StatusCode;
            return code >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
        }

        // A name that does not resolve (offline, wrong host) will not resolve a few seconds later either.
        if (outcome.Exception is HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError }) return false;
        return outcome.Exception is HttpRequestException or TimeoutRejectedException;
    }

    /// <summary>The server's Retry-After (seconds or date), capped; null = use the back-off.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan cap, TimeProvider time)
    {
        var header = response?.Headers.RetryAfter;
        if (header is null) return null;
        var delay = header.Delta ?? (header.Date is { } at ? at - time.GetUtcNow() : null);
        if (delay is not { } d || d <= TimeSpan.Zero) return null;
        return d < cap ? d : cap;
    }

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
