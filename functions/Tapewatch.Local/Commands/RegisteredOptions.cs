using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Tapewatch.Local.Commands;

/// <summary>
/// The value of <c>IOptions&lt;T&gt;</c> as a container built from <paramref name="services"/> would give it, without
/// building the container: the same <see cref="OptionsFactory{TOptions}"/> over the same configure, post-configure and
/// validate registrations (those of <c>AddValidatedOptions</c>), in registration order.
/// For the one-shot commands that read a file (<c>backtest --flows-csv</c>, <c>ingest … --file … --dry-run</c>): building
/// and querying a container is a fifth of their start-up on a cold runtime (docs/performance.md, "Start-up").
/// </summary>
internal static class RegisteredOptions
{
    /// <exception cref="OptionsValidationException">A validation failed (as <c>IOptions&lt;T&gt;.Value</c> throws it).</exception>
    /// <exception cref="NotSupportedException">A registration is not an instance (a factory or a type needs the container).</exception>
    public static T Create<T>(IServiceCollection services) where T : class
    {
        var factory = new OptionsFactory<T>(Instances<IConfigureOptions<T>>(services), Instances<IPostConfigureOptions<T>>(services), Instances<IValidateOptions<T>>(services));
        return factory.Create(Options.DefaultName);
    }

    private static List<TService> Instances<TService>(IServiceCollection services)
    {
        var instances = new List<TService>();
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType != typeof(TService)) continue;
            if (descriptor.IsKeyedService || descriptor.ImplementationInstance is not TService instance)
            {
                throw new NotSupportedException($"{typeof(TService)} is registered by a factory or a type: resolve it from a container.");
            }

            instances.Add(instance);
        }

        return instances;
    }
}
