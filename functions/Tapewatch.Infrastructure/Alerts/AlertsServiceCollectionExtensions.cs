using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Tapewatch.Infrastructure.Alerts.Channels;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Infrastructure.Http;
using Tapewatch.Core.Time;
using Tapewatch.Core.Alerts;
using Tapewatch.Infrastructure.Hosting;

namespace Tapewatch.Infrastructure.Alerts;

public static class AlertsServiceCollectionExtensions
{
    public const string UserAgent = Hosting.AppIdentity.UserAgent;

    /// <summary>The Teams webhook's resilience settings, from <c>Tapewatch:Alerts:Teams</c>.</summary>
    public const string TeamsResilienceOptionsName = "teams";

    /// <summary>
    /// The alert lifecycle (an <see cref="IEvaluationListener"/>), silences over HTTP, and the channels configured under
    /// Tapewatch:Alerts (Email, Teams, ServiceBus, Outbox) — each only when its section is filled in.
    /// </summary>
    public static IServiceCollection AddAlerts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions(configuration, AlertOptions.SectionName, new AlertOptionsValidator());
        services.AddValidatedOptions(configuration, EmailOptions.SectionName, new EmailOptionsValidator());
        services.AddValidatedOptions(configuration, TeamsOptions.SectionName, new TeamsOptionsValidator());
        services.AddValidatedOptions(configuration, ServiceBusAlertOptions.SectionName, new ServiceBusAlertOptionsValidator());
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
            services.AddSmtpResilience();
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
        // The total: every attempt's timeout and the longest wait between each two.
        services.AddSourceResilienceOptions<TeamsOptions>(TeamsResilienceOptionsName, static (r, o) =>
        {
            r.MaxRetryAttempts = o.MaxRetries;
            r.BaseDelay = o.RetryDelay;
            r.MaxDelay = r.MaxRetryAfter = o.MaxRetryDelay;
            r.AttemptTimeout = o.Timeout;
            r.TotalTimeout = (o.Timeout * (o.MaxRetries + 1)) + (o.MaxRetryDelay * o.MaxRetries);
        });

        // The default request logging writes the URL, and a Workflows URL carries its signature: no HTTP loggers here.
        services.AddHttpClient<TeamsChannel>()
            .RemoveAllLoggers()
            .AddSourceResilience("teams", TeamsResilienceOptionsName);
        services.AddTransient<IAlertChannel>(sp => sp.GetRequiredService<TeamsChannel>());
    }
}

[OptionsValidator]
internal sealed partial class AlertOptionsValidator : IValidateOptions<AlertOptions>;
