using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Tapewatch.Infrastructure.Hosting;

/// <summary>
/// Start-up validation of every options class by a validator generated at compile time (<see cref="OptionsValidatorAttribute"/>):
/// the data annotations, <c>IValidatableObject</c>, and the sections marked <see cref="ValidateObjectMembersAttribute"/>,
/// without reflection. A failure names the configuration key a user sets (<c>Tapewatch:Rules:Rebuild:StreakSessions</c>).
/// </summary>
public static partial class OptionsValidation
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to <paramref name="section"/> of <paramref name="configuration"/> and validates
    /// it with <paramref name="validator"/> at start (<see cref="ValidateBySection{TOptions}"/>).
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(
        this IServiceCollection services, IConfiguration configuration, string section, IValidateOptions<TOptions> validator)
        where TOptions : class =>
        services.AddOptions<TOptions>()
            .Bind(configuration.GetSection(section))
            .ValidateBySection(section, validator)
            .ValidateOnStart();

    /// <summary>
    /// Validates the options bound from <paramref name="section"/> with <paramref name="validator"/>, as
    /// <c>ValidateDataAnnotations()</c> would: an instance registration (the CLI's file commands read options without a
    /// container) for this builder's options name only.
    /// </summary>
    public static OptionsBuilder<TOptions> ValidateBySection<TOptions>(this OptionsBuilder<TOptions> builder, string section, IValidateOptions<TOptions> validator)
        where TOptions : class
    {
        builder.Services.AddSingleton<IValidateOptions<TOptions>>(new SectionValidator<TOptions>(builder.Name, section, validator));
        return builder;
    }

    /// <summary>
    /// The generator names a member by joining its path with dots after the name it is given
    /// (<c>Tapewatch:Rules.Rebuild.StreakSessions</c>); configuration keys join with colons.
    /// </summary>
    internal static string AsConfigurationKeys(string failure) =>
        DottedConfigurationPath().Replace(failure, m => m.Groups["section"].Value + m.Groups["members"].Value.Replace('.', ':'));

    [GeneratedRegex(@"(?<section>\bTapewatch(?::[A-Za-z]\w*)*)(?<members>(?:\.[A-Za-z]\w*)+)", RegexOptions.CultureInvariant)]
    private static partial Regex DottedConfigurationPath();

    private sealed class SectionValidator<TOptions>(string? optionsName, string section, IValidateOptions<TOptions> validator) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            if (optionsName is not null && name != optionsName) return ValidateOptionsResult.Skip;
            var result = validator.Validate(section, options);
            return result.Failed ? ValidateOptionsResult.Fail(result.Failures.Select(AsConfigurationKeys)) : result;
        }
    }
}
