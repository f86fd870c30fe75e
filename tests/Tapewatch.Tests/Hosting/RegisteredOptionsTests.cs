using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tapewatch.Core.Flows;
using Tapewatch.Core.Rules;
using Tapewatch.Core.Time;
using Tapewatch.Infrastructure;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Infrastructure.Flows;
using Tapewatch.Local.Commands;

namespace Tapewatch.Tests.Hosting;

/// <summary>The CLI's file commands read their options without a container: they must get what the container gives.</summary>
public sealed class RegisteredOptionsTests
{
    private static IServiceCollection Registrations(IConfiguration configuration) =>
        new ServiceCollection().AddClockAndCalendar(configuration).AddFlowsSettings(configuration).AddRules(configuration);

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    public static TheoryData<string, string> Settings => new()
    {
        { "(none)", "" },
        { "Tapewatch:Rules:Rebuild:StreakSessions", "5" },
        { "Tapewatch:Rules:Rebuild:MinDailyFlowUsdM", "123.45" },
        { "Tapewatch:Flows:FinalCutoffUtc", "13:30:00" },
        { "Tapewatch:Flows:Sources", "sosovalue,farside" },
        { "Tapewatch:Calendar:ExtraClosures:0", "2025-03-03" },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void Gives_the_values_the_container_gives(string key, string value)
    {
        var configuration = key == "(none)" ? Configuration() : Configuration((key, value));
        var services = Registrations(configuration);
        using var container = services.BuildServiceProvider();

        Assert.Equal(Json(container.GetRequiredService<IOptions<RulesOptions>>().Value), Json(RegisteredOptions.Create<RulesOptions>(services)));
        Assert.Equal(Json(container.GetRequiredService<IOptions<FlowsOptions>>().Value), Json(RegisteredOptions.Create<FlowsOptions>(services)));
        Assert.Equal(Json(container.GetRequiredService<IOptions<CalendarOptions>>().Value), Json(RegisteredOptions.Create<CalendarOptions>(services)));
    }

    [Theory]
    [InlineData("Tapewatch:Rules:Rebuild:StreakSessions", "99")]
    [InlineData("Tapewatch:Rules:Stabilizing:MinDailyFlowUsdM", "1000000")]
    [InlineData("Tapewatch:Flows:LookbackDays", "1")]
    [InlineData("Tapewatch:Flows:Sources", "nope")]
    public void Fails_validation_with_the_container_s_messages(string key, string value)
    {
        var services = Registrations(Configuration((key, value)));
        if (key.StartsWith("Tapewatch:Rules", StringComparison.Ordinal)) AssertSameFailure<RulesOptions>(services);
        else AssertSameFailure<FlowsOptions>(services);
    }

    [Fact]
    public void Binding_errors_are_the_container_s()
    {
        var services = Registrations(Configuration(("Tapewatch:Rules:Rebuild:StreakSessions", "abc")));
        using var container = services.BuildServiceProvider();

        var expected = Assert.Throws<InvalidOperationException>(() => container.GetRequiredService<IOptions<RulesOptions>>().Value);
        var actual = Assert.Throws<InvalidOperationException>(() => RegisteredOptions.Create<RulesOptions>(services));
        Assert.Equal(expected.Message, actual.Message);
    }

    [Fact]
    public void Refuses_options_configured_by_a_factory_or_a_type()
    {
        var services = Registrations(Configuration());
        services.AddSingleton<IConfigureOptions<FlowsOptions>>(_ => new ConfigureNamedOptions<FlowsOptions>(Options.DefaultName, o => o.LookbackDays = 6));

        Assert.Throws<NotSupportedException>(() => RegisteredOptions.Create<FlowsOptions>(services));
    }

    private static void AssertSameFailure<T>(IServiceCollection services) where T : class
    {
        using var container = services.BuildServiceProvider();
        var expected = Assert.Throws<OptionsValidationException>(() => container.GetRequiredService<IOptions<T>>().Value);
        var actual = Assert.Throws<OptionsValidationException>(() => RegisteredOptions.Create<T>(services));
        Assert.Equal(expected.Failures, actual.Failures);
        Assert.Equal(expected.Message, actual.Message);
    }

    private static string Json(object value) => JsonSerializer.Serialize(value, value.GetType());
}
