using Tapewatch.Infrastructure.Hosting;

namespace Tapewatch.Tests.Hosting;

public sealed class KeyVaultReferencesTests
{
    private const string SecretUri = "https://kv-abc123.vault.azure.net/secrets/teams-webhook-url/";

    [Fact]
    public void Finds_settings_that_still_hold_a_key_vault_reference_by_app_setting_name()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Tapewatch:Alerts:Teams:WebhookUrl"] = $"@Microsoft.KeyVault(SecretUri={SecretUri})",
            ["Tapewatch:Alerts:Email:Password"] = "  @microsoft.keyvault(VaultName=kv-abc123;SecretName=smtp-password)",
            ["Tapewatch:Flows:SoSoValue:ApiKey"] = "resolved-value",
            ["EvaluationQueueName"] = "evaluations",
            ["Tapewatch:Storage"] = null,
            ["Note"] = "mentions @Microsoft.KeyVault( in the middle, which App Service would not resolve either way",
        };

        var unresolved = KeyVaultReferences.FindUnresolved(settings);

        Assert.Equal(["Tapewatch__Alerts__Email__Password", "Tapewatch__Alerts__Teams__WebhookUrl"], unresolved);
    }

    [Fact]
    public void Reports_each_setting_once_when_two_sources_carry_it()
    {
        var settings = new[]
        {
            KeyValuePair.Create("SMTP_PASSWORD", (string?)"@Microsoft.KeyVault(SecretUri=https://x.vault.azure.net/secrets/a/)"),
            KeyValuePair.Create("smtp_password", (string?)"@Microsoft.KeyVault(SecretUri=https://x.vault.azure.net/secrets/a/)"),
        };

        Assert.Single(KeyVaultReferences.FindUnresolved(settings));
    }

    [Fact]
    public void Nothing_unresolved_means_no_error()
    {
        var settings = new Dictionary<string, string?> { ["Tapewatch:Alerts:Teams:WebhookUrl"] = "https://example.invalid/webhook" };

        Assert.Empty(KeyVaultReferences.FindUnresolved(settings));
        KeyVaultReferences.ThrowIfUnresolved(settings);
    }

    [Fact]
    public void The_error_names_the_settings_and_never_their_values()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Tapewatch:Alerts:Teams:WebhookUrl"] = $"@Microsoft.KeyVault(SecretUri={SecretUri})",
            ["Tapewatch:Derivatives:Coinalyze:ApiKey"] = "@Microsoft.KeyVault(SecretUri=https://kv-abc123.vault.azure.net/secrets/coinalyze-api-key/)",
        };

        var error = Assert.Throws<InvalidOperationException>(() => KeyVaultReferences.ThrowIfUnresolved(settings));

        Assert.Contains("Tapewatch__Alerts__Teams__WebhookUrl", error.Message, StringComparison.Ordinal);
        Assert.Contains("Tapewatch__Derivatives__Coinalyze__ApiKey", error.Message, StringComparison.Ordinal);
        Assert.Contains("2 app settings", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("kv-abc123", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SecretUri", error.Message, StringComparison.Ordinal);
        Assert.Contains("Key Vault Secrets User", error.Message, StringComparison.Ordinal);
    }
}
