metadata name = 'Key Vault'
metadata description = 'A Key Vault using Azure RBAC (no access policies) for third-party secrets, with soft delete and role assignments.'

import { roleAssignmentType } from 'types.bicep'

@description('Required. Name of the Key Vault (3-24 characters, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Optional. Location for the Key Vault.')
param location string = resourceGroup().location

@description('Optional. Tags of the resource.')
param tags resourceInput<'Microsoft.KeyVault/vaults@2026-05-15'>.tags?

@description('Optional. Days a deleted vault or secret can be recovered.')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int = 90

@description('Optional. Whether purge protection is on (a deleted vault cannot be purged before the retention ends). Secure default true; turn it off for throw-away environments that are deleted with `azd down --purge`.')
param enablePurgeProtection bool = true

@description('Optional. Whether the vault accepts traffic from public networks.')
@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string = 'Enabled'

@description('Optional. Role assignments on the Key Vault.')
param roleAssignments roleAssignmentType[] = []

resource vault 'Microsoft.KeyVault/vaults@2026-05-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    enablePurgeProtection: enablePurgeProtection ? true : null
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    publicNetworkAccess: publicNetworkAccess
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource vaultRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for assignment in roleAssignments: {
    name: assignment.?name ?? guid(vault.id, assignment.principalId, assignment.roleDefinitionId)
    scope: vault
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleDefinitionId)
      principalId: assignment.principalId
      principalType: assignment.?principalType
      description: assignment.?description
    }
  }
]

@description('The resource ID of the Key Vault.')
output resourceId string = vault.id

@description('The name of the Key Vault.')
output name string = vault.name

@description('The vault URI, e.g. https://<name>.vault.azure.net/ (ends with a slash).')
output uri string = vault.properties.vaultUri
