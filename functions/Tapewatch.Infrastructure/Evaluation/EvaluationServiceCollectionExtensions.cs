using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Tapewatch.Infrastructure.Api;
using Tapewatch.Core.Rules;
using Tapewatch.Core.Time;

namespace Tapewatch.Infrastructure.Evaluation;

public static class RulesServiceCollectionExtensions
{
    /// <summary>The scenario engine (options "Tapewatch:Rules"), the evaluator service and the regime/data read API.</summary>
    public static IServiceCollection AddRules(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RulesOptions>()
            .Bind(configuration.GetSection(RulesOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(sp => new RegimeEngine(sp.GetRequiredService<IOptions<RulesOptions>>().Value, sp.GetRequiredService<TradingCalendar>()));
        services.TryAddSingleton<EvaluationInputsLoader>();
        services.TryAddScoped<EvaluationService>();
        services.AddApiEndpoint<RegimeEndpoint>();
        services.AddApiEndpoint<RegimeHistoryEndpoint>();
        services.AddApiEndpoint<FlowsEndpoint>();
        services.AddApiEndpoint<WeeklyFundFlowsEndpoint>();
        services.AddApiEndpoint<DerivativesEndpoint>();
        services.AddApiEndpoint<EvaluationsEndpoint>();
        services.AddApiEndpoint<OpenApiEndpoint>();
        return services;
    }
}
