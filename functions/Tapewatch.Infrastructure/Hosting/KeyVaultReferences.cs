namespace Tapewatch.Infrastructure.Hosting;

/// <summary>
/// App Service resolves <c>@Microsoft.KeyVault(SecretUri=…)</c> app settings before the app starts. When it cannot (secret
/// missing, identity without Key Vault Secrets User, vault unreachable) the setting keeps the literal reference, and the
/// app would otherwise run with it as a webhook URL, password or API key. This finds such settings so start-up can stop.
/// </summary>
public static class KeyVaultReferences
{
    /// <summary>How every unresolved Key Vault reference starts.</summary>
    public const string ReferencePrefix = "@Microsoft.KeyVault(";

    /// <summary>
    /// The names of the settings whose value is still a Key Vault reference, as app-setting names (<c>Section__Key</c>),
    /// sorted and without duplicates. Values are never returned.
    /// </summary>
    public static IReadOnlyList<string> FindUnresolved(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings
            .Where(s => s.Value is not null && s.Value.TrimStart().StartsWith(ReferencePrefix, StringComparison.OrdinalIgnoreCase))
            .Select(s => s.Key.Replace(":", "__", StringComparison.Ordinal))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>A message naming the unresolved settings (never their values) and what to check.</summary>
    public static string DescribeUnresolved(IReadOnlyList<string> settingNames)
    {
        ArgumentNullException.ThrowIfNull(settingNames);
        var plural = settingNames.Count == 1 ? "setting holds a Key Vault reference that did not resolve" : "settings hold Key Vault references that did not resolve";
        return $"Tapewatch cannot start: {settingNames.Count} app {plural}: {string.Join(", ", settingNames)}. "
            + "Check that the secret exists in the Key Vault (az keyvault secret set), that the app's managed identity has the "
            + "Key Vault Secrets User role on the vault, and the reference status under Configuration > Environment variables in the portal; "
            + "or remove the setting (azd env set TAPEWATCH_KEYVAULT_SECRETS without that secret, then azd provision).";
    }

    /// <summary>Throws <see cref="InvalidOperationException"/> with <see cref="DescribeUnresolved"/> when any setting is unresolved.</summary>
    public static void ThrowIfUnresolved(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var unresolved = FindUnresolved(settings);
        if (unresolved.Count > 0)
        {
            throw new InvalidOperationException(DescribeUnresolved(unresolved));
        }
    }
}
