using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Tapewatch.Infrastructure.Storage;

/// <summary>
/// Either a connection string (Azurite, local) or service URIs used with a managed identity (Azure).
/// Bound from the "Tapewatch:Storage" section (app settings <c>Tapewatch__Storage__…</c>).
/// </summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string SectionName = "Tapewatch:Storage";

    public string? ConnectionString { get; set; }

    public Uri? TableServiceUri { get; set; }

    public Uri? QueueServiceUri { get; set; }

    /// <summary>Client id of the user-assigned managed identity; null uses the default credential chain.</summary>
    public string? ManagedIdentityClientId { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ConnectionString) || (TableServiceUri is not null && QueueServiceUri is not null);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsConfigured)
        {
            yield return new ValidationResult(
                "Storage is not configured: set Tapewatch__Storage__ConnectionString, or Tapewatch__Storage__TableServiceUri and Tapewatch__Storage__QueueServiceUri (managed identity).",
                [nameof(ConnectionString)]);
        }
    }
}

[OptionsValidator]
internal sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>;
