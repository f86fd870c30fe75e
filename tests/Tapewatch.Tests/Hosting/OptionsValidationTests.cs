using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tapewatch.Infrastructure;
using Tapewatch.Infrastructure.Hosting;

namespace Tapewatch.Tests.Hosting;

/// <summary>
/// Every options class is checked at start by its compile-time validator, nested sections included, and a failure names
/// the key the user sets.
/// </summary>
public sealed class OptionsValidationTests
{
    private static readonly Dictionary<string, string?> Storage = new() { ["Tapewatch:Storage:ConnectionString"] = "UseDevelopmentStorage=true" };

    [Fact]
    public void No_options_class_is_validated_by_reflection()
    {
        var services = new ServiceCollection().AddTapewatchApp(Configuration([]));

        var validators = services.Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IValidateOptions<>)).ToList();

        Assert.DoesNotContain(validators, d => d.ImplementationInstance?.GetType().Name.StartsWith("DataAnnotationValidateOptions", StringComparison.Ordinal) == true);
        var validated = validators.Select(d => d.ServiceType.GetGenericArguments()[0].Name).ToHashSet();
        foreach (var options in new[]
                 {
                     "RulesOptions", "FlowsOptions", "DerivativesOptions", "WeeklyFlowsOptions", "AlertOptions", "EmailOptions", "TeamsOptions",
                     "ServiceBusAlertOptions", "StorageOptions", "DashboardOptions", "HttpSourceResilienceOptions",
                 })
        {
            Assert.Contains(options, validated);
        }
    }

    /// <summary>A setting of a nested section (by attribute or by the section's own rules) fails naming its whole key.</summary>
    [Theory]
    [InlineData("Tapewatch:Rules:Rebuild:StreakSessions", "0")]
    [InlineData("Tapewatch:Rules:Caution:MaxDailyFlowUsdM", "5")]
    [InlineData("Tapewatch:Rules:EtfLed:MinRatio", "0")]
    [InlineData("Tapewatch:Rules:Freshness:EtfFlowsGraceHours", "0")]
    [InlineData("Tapewatch:Rules:Stabilizing:MinDailyFlowUsdM", "400")]
    [InlineData("Tapewatch:Rules:Deleveraging:MinBasisPct", "7")]
    [InlineData("Tapewatch:Flows:Farside:RecentDays", "0")]
    [InlineData("Tapewatch:Flows:SoSoValue:Type", " ")]
    [InlineData("Tapewatch:Flows:Http:MaxResponseBytes", "10")]
    [InlineData("Tapewatch:Derivatives:MinBasisDays", "99")]
    [InlineData("Tapewatch:Weekly:MaxRetryAttempts", "7")]
    [InlineData("Tapewatch:Alerts:ResolveAfterSessions", "0")]
    [InlineData("Tapewatch:Alerts:Email:Port", "0")]
    [InlineData("Tapewatch:Dashboard:DefaultDays", "0")]
    public void A_bad_setting_fails_at_start_naming_its_configuration_key(string key, string value)
    {
        using var services = new ServiceCollection().AddTapewatchApp(Configuration(new() { [key] = value })).BuildServiceProvider();

        var failure = Assert.ThrowsAny<Exception>(() => services.GetRequiredService<IStartupValidator>().Validate());

        var failures = Failures(failure).ToList();
        Assert.Contains(failures, f => f.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public void Defaults_pass()
    {
        using var services = new ServiceCollection().AddTapewatchApp(Configuration([])).BuildServiceProvider();

        services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Theory]
    [InlineData("The field Tapewatch:Rules.Rebuild.StreakSessions must be between 1 and 20.", "The field Tapewatch:Rules:Rebuild:StreakSessions must be between 1 and 20.")]
    [InlineData("The field Tapewatch:Alerts:Email.Port must be between 1 and 65535.", "The field Tapewatch:Alerts:Email:Port must be between 1 and 65535.")]
    [InlineData("Tapewatch:Flows:Http:MaxRetries must be from 0 to 10.", "Tapewatch:Flows:Http:MaxRetries must be from 0 to 10.")]
    [InlineData("The field flows.MaxRetryAttempts must be between 0 and 10.", "The field flows.MaxRetryAttempts must be between 0 and 10.")]
    [InlineData("MyTapewatch:Rules.Rebuild is not ours.", "MyTapewatch:Rules.Rebuild is not ours.")]
    [InlineData("See Tapewatch:Rules. Then stop.", "See Tapewatch:Rules. Then stop.")]
    public void Dotted_member_paths_become_configuration_keys(string generated, string shown)
    {
        Assert.Equal(shown, OptionsValidation.AsConfigurationKeys(generated));
    }

    [Fact]
    public void Named_options_are_validated_under_their_own_name_only()
    {
        var services = new ServiceCollection();
        services.AddOptions<Probe>("checked").Configure(p => p.Value = -1).ValidateBySection("Tapewatch:Probe", new RejectNegative());
        services.AddOptions<Probe>("other").Configure(p => p.Value = -1);
        using var provider = services.BuildServiceProvider();
        var monitor = provider.GetRequiredService<IOptionsMonitor<Probe>>();

        Assert.Equal(-1, monitor.Get("other").Value);
        var ex = Assert.Throws<OptionsValidationException>(() => monitor.Get("checked"));
        Assert.Equal(["Tapewatch:Probe:Value must not be negative."], ex.Failures);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(Storage.Concat(settings)).Build();

    private static IEnumerable<string> Failures(Exception exception) => exception switch
    {
        OptionsValidationException o => o.Failures,
        AggregateException a => a.InnerExceptions.SelectMany(Failures),
        _ => [exception.Message],
    };

    private sealed class Probe
    {
        public int Value { get; set; }
    }

    /// <summary>A stand-in for a generated validator: it names the member by appending to the name it is given.</summary>
    private sealed class RejectNegative : IValidateOptions<Probe>
    {
        public ValidateOptionsResult Validate(string? name, Probe options) =>
            options.Value < 0 ? ValidateOptionsResult.Fail($"{name}.Value must not be negative.") : ValidateOptionsResult.Success;
    }
}
