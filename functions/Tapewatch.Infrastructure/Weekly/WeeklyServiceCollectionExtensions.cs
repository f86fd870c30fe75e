using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Tapewatch.Infrastructure.Hosting;
using Tapewatch.Core.Weekly;
using Tapewatch.Infrastructure.Ingestion;

namespace Tapewatch.Infrastructure.Weekly;

public static class WeeklyServiceCollectionExtensions
{
    public const string PipelineName = "coinshares-feed";

    /// <summary>CoinShares weekly flows: options, feed client (one resilience pipeline), ingestion, job, manual endpoint.</summary>
    public static IServiceCollection AddWeekly(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WeeklyFlowsOptions>()
            .Bind(configuration.GetSection(WeeklyFlowsOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<WeeklyFlowIngestion>();

        services.AddHttpClient<CoinSharesFeedClient>(client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan; // the pipeline's timeouts apply
                client.DefaultRequestHeaders.UserAgent.ParseAdd(CoinSharesFeedClient.UserAgent);
                client.DefaultRequestHeaders.Accept.ParseAdd("application/rss+xml, application/atom+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.7");
            })
            .AddResilienceHandler(PipelineName, (builder, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<WeeklyFlowsOptions>>().Value;
                var time = context.ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System;
                builder.AddTimeout(o.TotalTimeout);
                if (o.MaxRetryAttempts > 0)
                {
                    builder.AddRetry(new HttpRetryStrategyOptions
                    {
                        // Transient only: 5xx, 408, 429, network errors, attempt timeouts. 401/403/451 are final.
                        MaxRetryAttempts = o.MaxRetryAttempts,
                        Delay = o.RetryDelay,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        MaxDelay = o.MaxRetryAfter,
                        ShouldRetryAfterHeader = false,
                        DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, o.MaxRetryAfter, time)),
                    });
                }

                builder.AddTimeout(o.AttemptTimeout);
            });

        services.AddScheduledJob<WeeklyFlowsIngestionJob>(WeeklyFlowsIngestionJob.Name, WeeklyFlowsIngestionJob.ScheduleSetting, WeeklyFlowsIngestionJob.DefaultSchedule);
        return services;
    }

    /// <summary>The server's Retry-After (delta or date), capped; null = the exponential backoff.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan cap, TimeProvider time)
    {
        var header = response?.Headers.RetryAfter;
        TimeSpan? wait = header?.Delta ?? (header?.Date is { } at ? at - time.GetUtcNow() : null);
        if (wait is not { } w) return null;
        if (w < TimeSpan.Zero) return TimeSpan.Zero;
        return w > cap ? cap : w;
    }
}
