using Microsoft.Extensions.DependencyInjection;

namespace Tapewatch.Infrastructure.Ingestion;

/// <summary>A job run by a timer function in Azure and by the local scheduler on one machine.</summary>
public interface IScheduledJob
{
    /// <summary>Runs once; returns one record per dataset/source it touched (also written to the run log).</summary>
    Task<IReadOnlyList<IngestionRun>> RunAsync(CancellationToken cancellationToken);
}

/// <summary>
/// A job, the app setting that holds its UTC NCRONTAB schedule (the timer trigger reads it as
/// <c>%Setting%</c>) and the default used when the setting is absent locally.
/// </summary>
public sealed record ScheduledJobDefinition(string Name, string ScheduleSetting, string DefaultSchedule, Type JobType)
{
    /// <summary>Runs the job once in a service scope of its own, as a timer trigger's invocation gets.</summary>
    public async Task<IReadOnlyList<IngestionRun>> RunInScopeAsync(IServiceScopeFactory scopes, CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var job = (IScheduledJob)scope.ServiceProvider.GetRequiredService(JobType);
            return await job.RunAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}

public static class ScheduledJobServiceCollectionExtensions
{
    public static IServiceCollection AddScheduledJob<TJob>(this IServiceCollection services, string name, string scheduleSetting, string defaultSchedule)
        where TJob : class, IScheduledJob
    {
        services.AddTransient<TJob>();
        services.AddSingleton(new ScheduledJobDefinition(name, scheduleSetting, defaultSchedule, typeof(TJob)));
        return services;
    }
}
