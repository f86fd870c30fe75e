using Azure.Core;
using Azure.Identity;

namespace Tapewatch.Infrastructure.Hosting;

/// <summary>The credential for Azure resources reached with an identity (Table and Queue storage, the Service Bus topic).</summary>
public static class AzureCredentials
{
    /// <summary>
    /// The user-assigned managed identity whose client id is given; without one, <see cref="DefaultAzureCredential"/> (the
    /// system-assigned identity in Azure, a developer sign-in locally).
    /// </summary>
    public static TokenCredential For(string? managedIdentityClientId) =>
        string.IsNullOrWhiteSpace(managedIdentityClientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(managedIdentityClientId));
}
