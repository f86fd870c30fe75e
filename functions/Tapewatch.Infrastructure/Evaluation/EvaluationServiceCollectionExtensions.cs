using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Tapewatch.Core.Rules;
using Tapewatch.Core.Time;
using Tapewatch.Infrastructure.Hosting;

namespace Tapewatch.Infrastructure.Evaluation;

public static class EvaluationServiceCollectionExtensions
{
    /// <summary>The scenario engine (options "Tapewatch:Rules"), and the evaluator service.</summary>
    public static IServiceCollection AddRules(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions(configuration, RulesOptions.SectionName, new RulesOptionsValidator());
        services.TryAddSingleton(sp => new RegimeEngine(sp.GetRequiredService<IOptions<RulesOptions>>().Value, sp.GetRequiredService<TradingCalendar>()));
        services.TryAddSingleton<EvaluationInputsLoader>();
        services.TryAddScoped<EvaluationService>();
        return services;
    }
}

[OptionsValidator]
internal sealed partial class RulesOptionsValidator : IValidateOptions<RulesOptions>;
