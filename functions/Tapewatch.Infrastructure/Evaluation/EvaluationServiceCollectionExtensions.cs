using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Tapewatch.Core.Rules;
using Tapewatch.Core.Time;

namespace Tapewatch.Infrastructure.Evaluation;

public static class EvaluationServiceCollectionExtensions
{
    /// <summary>The scenario engine (options "Tapewatch:Rules"), and the evaluator service.</summary>
    public static IServiceCollection AddRules(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RulesOptions>()
            .Bind(configuration.GetSection(RulesOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(sp => new RegimeEngine(sp.GetRequiredService<IOptions<RulesOptions>>().Value, sp.GetRequiredService<TradingCalendar>()));
        services.TryAddSingleton<EvaluationInputsLoader>();
        services.TryAddScoped<EvaluationService>();
        return services;
    }
}
