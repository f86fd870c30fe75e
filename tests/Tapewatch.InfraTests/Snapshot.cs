using System.Text.Json;

namespace Tapewatch.InfraTests;

/// <summary>Queries over a `bicep snapshot` document (predictedResources with evaluated names and properties).</summary>
public static class Snapshot
{
    public static IReadOnlyList<JsonElement> Resources(this JsonDocument snapshot, string type) =>
        snapshot.RootElement.GetProperty("predictedResources").EnumerateArray()
            .Where(r => string.Equals(r.GetProperty("type").GetString(), type, StringComparison.OrdinalIgnoreCase))
            .ToList();

    public static JsonElement Single(this JsonDocument snapshot, string type) => Assert.Single(snapshot.Resources(type));

    public static string Name(this JsonElement resource) => resource.GetProperty("name").GetString()!;

    public static string Id(this JsonElement resource) => resource.GetProperty("id").GetString()!;

    public static JsonElement Properties(this JsonElement resource) => resource.GetProperty("properties");

    public static string? String(this JsonElement element, params string[] path)
    {
        foreach (var part in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(part, out element)) return null;
        }

        return element.ValueKind == JsonValueKind.String ? element.GetString() : element.ToString();
    }

    /// <summary>The Function app's settings (the sites/config 'appsettings' resource).</summary>
    public static IReadOnlyDictionary<string, string> AppSettings(this JsonDocument snapshot) =>
        snapshot.Resources("Microsoft.Web/sites/config")
            .Single(r => r.Name().EndsWith("/appsettings", StringComparison.Ordinal))
            .Properties().EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);

    /// <summary>Role assignments as (role definition GUID, principal, principal type, scope resource id).</summary>
    public static IReadOnlyList<RoleAssignment> RoleAssignments(this JsonDocument snapshot) =>
        snapshot.Resources("Microsoft.Authorization/roleAssignments")
            .Select(r =>
            {
                var id = r.Id();
                var scope = id[..id.IndexOf("/providers/Microsoft.Authorization/", StringComparison.Ordinal)];
                var roleDefinitionId = r.Properties().GetProperty("roleDefinitionId").GetString()!;
                return new RoleAssignment(
                    roleDefinitionId[(roleDefinitionId.LastIndexOf('/') + 1)..],
                    roleDefinitionId,
                    r.Properties().GetProperty("principalId").GetString()!,
                    r.Properties().GetProperty("principalType").GetString()!,
                    scope);
            })
            .ToList();
}

public sealed record RoleAssignment(string RoleGuid, string RoleDefinitionId, string PrincipalId, string PrincipalType, string Scope);
