using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Tapewatch.Infrastructure.Alerts.Channels;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Core.Time;
using Tapewatch.Core.Alerts;

namespace Tapewatch.Infrastructure.Alerts;

public static class AlertsServiceCollectionExtensions
{
    public const string UserAgent = Hosting.AppIdentity.UserAgent;

    /// <summary>
    /// The alert lifecycle (an <see cref="IEvaluationListener"/>), silences over HTTP, and the channels configured under
    /// Tapewatch:Alerts (Email, Teams, ServiceBus, Outbox) — each only when its section is filled in.
    /// </summary>
    public static IServiceCollection AddAlerts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AlertOptions>().Bind(configuration.GetSection(AlertOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EmailOptions>().Bind(configuration.GetSection(EmailOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TeamsOptions>().Bind(configuration.GetSection(TeamsOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ServiceBusAlertOptions>().Bind(configuration.GetSection(ServiceBusAlertOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OutboxOptions>().Bind(configuration.GetSection(OutboxOptions.SectionName));

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new TradingCalendar(sp.GetRequiredService<IOptions<CalendarOptions>>().Value));
        services.TryAddSingleton<SecretRedactor>();
        services.TryAddSingleton(sp => new AlertLifecycle(sp.GetRequiredService<IOptions<AlertOptions>>().Value, sp.GetRequiredService<TradingCalendar>()));
        services.TryAddSingleton<AlertStore>();
        services.TryAddSingleton<NotificationLog>();
        services.TryAddSingleton<SilenceStore>();
        services.TryAddSingleton<AlertListener>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEvaluationListener, AlertListener>(sp => sp.GetRequiredService<AlertListener>()));


        if (!string.IsNullOrWhiteSpace(configuration[EmailOptions.SectionName + ":Host"]))
        {
            services.AddSingleton<IAlertChannel, EmailChannel>();
        }

        if (!string.IsNullOrWhiteSpace(configuration[TeamsOptions.SectionName + ":WebhookUrl"]))
        {
            AddTeams(services);
        }

        var bus = configuration.GetSection(ServiceBusAlertOptions.SectionName);
        if (!string.IsNullOrWhiteSpace(bus["TopicName"]) && (!string.IsNullOrWhiteSpace(bus["FullyQualifiedNamespace"]) || !string.IsNullOrWhiteSpace(bus["ConnectionString"])))
        {
            services.TryAddSingleton<ServiceBusSenderProvider>();
            services.AddSingleton<IAlertChannel>(sp => ActivatorUtilities.CreateInstance<ServiceBusChannel>(sp, sp.GetRequiredService<ServiceBusSenderProvider>().Sender));
        }

        if (!string.IsNullOrWhiteSpace(configuration[OutboxOptions.SectionName + ":Directory"]))
        {
            services.AddSingleton<IAlertChannel, OutboxChannel>();
        }

        return services;
    }

    private static void AddTeams(IServiceCollection services)
    {
        services.AddHttpClient<TeamsChannel>(client =>
            {
                client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
                client.Timeout = Timeout.InfiniteTimeSpan; // the pipeline's timeouts rule
            })

            // The default request logging writes the URL, and a Workflows URL carries its signature: no HTTP loggers here.
            .RemoveAllLoggers()
            .AddResilienceHandler("teams", (builder, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<TeamsOptions>>().Value;
                builder.AddTimeout(o.Timeout * (o.MaxRetries + 1) + (o.MaxRetryDelay * o.MaxRetries));
                if (o.MaxRetries > 0)
                {
                    // Defaults handle HttpRequestException, timeouts, 5xx, 408 and 429 (4xx otherwise are not retried)
                    // and honour Retry-After; MaxDelay caps both the back-off and Retry-After.
                    builder.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = o.MaxRetries,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = o.RetryDelay,
                        MaxDelay = o.MaxRetryDelay,
                        ShouldRetryAfterHeader = true,
                    });
                }

                builder.AddTimeout(o.Timeout);
            });
        services.AddTransient<IAlertChannel>(sp => sp.GetRequiredService<TeamsChannel>());
    }
}
