using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tapewatch.Core.Evaluation;
using Tapewatch.Core.Rules.Api;

namespace Tapewatch.Core.Rules;

public static class RulesServiceCollectionExtensions
{
    /// <summary>The scenario engine (options "Tapewatch:Rules"), the evaluator service and the regime/data read API.</summary>
    public static IServiceCollection AddRules(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RulesOptions>()
            .Bind(configuration.GetSection(RulesOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<RegimeEngine>();
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
