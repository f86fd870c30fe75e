metadata name = 'Function app on Flex Consumption'
metadata description = 'An Azure Functions app on the Flex Consumption (FC1) plan: Linux, a user-assigned managed identity for the host, deployment storage and Key Vault references, HTTPS only, basic-auth publishing off.'

@export()
@description('App settings: setting name to value. No secrets in plain text: use Key Vault references.')
type appSettingsType = {
  *: string
}

@description('Required. Name of the Function app (globally unique host name).')
@minLength(2)
@maxLength(60)
param name string

@description('Required. Name of the Flex Consumption plan.')
@minLength(1)
@maxLength(60)
param planName string

@description('Optional. Location for the plan and the app.')
param location string = resourceGroup().location

@description('Optional. Tags of the app (azd finds the app to deploy to by its azd-service-name tag).')
param tags resourceInput<'Microsoft.Web/sites@2025-03-01'>.tags?

@description('Optional. Tags of the plan.')
param planTags resourceInput<'Microsoft.Web/serverfarms@2025-03-01'>.tags?

@description('Required. Resource ID of the user-assigned managed identity the app runs as (deployment storage, Key Vault references, data access).')
param userAssignedIdentityResourceId string

@description('Required. URL of the blob container that holds the deployment package, e.g. https://<account>.blob.core.windows.net/<container>.')
param deploymentStorageContainerUrl string

@description('Optional. Language runtime of the app.')
@allowed([
  'dotnet-isolated'
  'node'
  'python'
  'java'
  'powershell'
  'custom'
])
param runtimeName string = 'dotnet-isolated'

@description('Optional. Runtime version, e.g. 10.0 for .NET 10.')
param runtimeVersion string = '10.0'

@export()
@description('Always-ready instances for a group of functions (`http`, `blob`, `durable`) or one function (`function:<name>`).')
type alwaysReadyType = {
  @description('Required. The group or function, e.g. `http` or `function:Regime`.')
  name: string

  @description('Required. Instances kept running.')
  @minValue(1)
  instanceCount: int
}

@description('Optional. Most instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Optional. Always-ready instances. Each is billed all month (the baseline, with no free grant) whether it runs or not; the default, none, bills executions only (on demand, with the monthly free grant).')
param alwaysReady alwaysReadyType[] = []

@description('Optional. Memory per instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Optional. App settings. Never set FUNCTIONS_WORKER_RUNTIME or FUNCTIONS_EXTENSION_VERSION on Flex Consumption: the runtime comes from functionAppConfig.')
param appSettings appSettingsType = {}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: planTags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${userAssignedIdentityResourceId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    keyVaultReferenceIdentity: userAssignedIdentityResourceId
    publicNetworkAccess: 'Enabled'
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentStorageContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: userAssignedIdentityResourceId
          }
        }
      }
      scaleAndConcurrency: {
        alwaysReady: alwaysReady
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: runtimeName
        version: runtimeVersion
      }
    }
  }
}

resource siteAppSettings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: site
  name: 'appsettings'
  properties: appSettings
}

resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

@description('The resource ID of the Function app.')
output resourceId string = site.id

@description('The name of the Function app.')
output name string = site.name

@description('The resource ID of the Flex Consumption plan.')
output planResourceId string = plan.id

@description('The default host name of the app, e.g. <name>.azurewebsites.net.')
output defaultHostname string = site.properties.defaultHostName

@description('The HTTPS base URL of the app.')
output uri string = 'https://${site.properties.defaultHostName}'
