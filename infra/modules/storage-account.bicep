metadata name = 'Storage account'
metadata description = 'A StorageV2 account reached with Entra ID only (shared-key access disabled), with the blob containers, queues and tables the app uses and data-plane role assignments.'

import { roleAssignmentType } from 'types.bicep'

@description('Required. Name of the storage account (3-24 lowercase letters and digits, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Optional. Location for the storage account.')
param location string = resourceGroup().location

@description('Optional. Tags of the resource.')
param tags resourceInput<'Microsoft.Storage/storageAccounts@2026-06-01'>.tags?

@description('Optional. Storage account SKU.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
  'Standard_RAGRS'
  'Standard_RAGZRS'
])
param skuName string = 'Standard_LRS'

@description('Optional. Whether requests may be authorised with the account key (shared key, SAS). Default false: Entra ID only.')
param allowSharedKeyAccess bool = false

@description('Optional. Whether the account accepts traffic from public networks.')
@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string = 'Enabled'

@description('Optional. Blob containers to create (private access).')
param blobContainerNames string[] = []

@description('Optional. Queues to create.')
param queueNames string[] = []

@description('Optional. Tables to create.')
param tableNames string[] = []

@description('Optional. Days deleted blobs and containers are kept (soft delete).')
@minValue(1)
@maxValue(365)
param deleteRetentionDays int = 7

@description('Optional. Role assignments on the storage account.')
param roleAssignments roleAssignmentType[] = []

resource storageAccount 'Microsoft.Storage/storageAccounts@2026-06-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    allowSharedKeyAccess: allowSharedKeyAccess
    defaultToOAuthAuthentication: true
    dnsEndpointType: 'Standard'
    minimumTlsVersion: 'TLS1_2'
    publicNetworkAccess: publicNetworkAccess
    supportsHttpsTrafficOnly: true
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2026-06-01' = {
  parent: storageAccount
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: deleteRetentionDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: deleteRetentionDays
    }
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2026-06-01' = [
  for containerName in blobContainerNames: {
    parent: blobService
    name: containerName
    properties: {
      publicAccess: 'None'
    }
  }
]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2026-06-01' = {
  parent: storageAccount
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2026-06-01' = [
  for queueName in queueNames: {
    parent: queueService
    name: queueName
  }
]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2026-06-01' = {
  parent: storageAccount
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2026-06-01' = [
  for tableName in tableNames: {
    parent: tableService
    name: tableName
  }
]

resource storageRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for assignment in roleAssignments: {
    name: assignment.?name ?? guid(storageAccount.id, assignment.principalId, assignment.roleDefinitionId)
    scope: storageAccount
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleDefinitionId)
      principalId: assignment.principalId
      principalType: assignment.?principalType
      description: assignment.?description
    }
  }
]

@description('The resource ID of the storage account.')
output resourceId string = storageAccount.id

@description('The name of the storage account.')
output name string = storageAccount.name

@description('The blob service endpoint, e.g. https://<name>.blob.core.windows.net/.')
output primaryBlobEndpoint string = storageAccount.properties.primaryEndpoints.blob

@description('The queue service endpoint, e.g. https://<name>.queue.core.windows.net/.')
output primaryQueueEndpoint string = storageAccount.properties.primaryEndpoints.queue

@description('The table service endpoint, e.g. https://<name>.table.core.windows.net/.')
output primaryTableEndpoint string = storageAccount.properties.primaryEndpoints.table

@description('The names of the tables created.')
output tableNames string[] = [for (tableName, i) in tableNames: tables[i].name]

@description('The names of the queues created.')
output queueNames string[] = [for (queueName, i) in queueNames: queues[i].name]

@description('The names of the blob containers created.')
output blobContainerNames string[] = [for (containerName, i) in blobContainerNames: containers[i].name]
