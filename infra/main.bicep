targetScope = 'subscription'

metadata name = 'Tapewatch'
metadata description = 'Tapewatch on Azure: a Flex Consumption Function app with a user-assigned managed identity, identity-only storage, Application Insights, Key Vault and an optional Service Bus topic. Deploy with `azd up`.'

import { builtInRoleIds } from 'modules/types.bicep'

@description('A third-party secret kept in Key Vault and the app setting that references it.')
type keyVaultSecretSettingType = {
  @description('Required. Name of the secret in Key Vault (what `az keyvault secret set --name` takes).')
  secretName: string

  @description('Required. App setting that receives the secret through a Key Vault reference.')
  appSetting: string
}

// ---------------------------------------------------------------------------------------------------------------
// Parameters (azd fills environmentName, location and principalId from the environment; see main.parameters.json)
// ---------------------------------------------------------------------------------------------------------------

@description('Required. Name of the azd environment; seeds the resource token that makes resource names unique.')
@minLength(1)
@maxLength(64)
param environmentName string

@description('Required. Azure region for every resource. It must offer the Flex Consumption plan (`az functionapp list-flexconsumption-locations`).')
@minLength(1)
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Optional. Object ID of the person (or CI principal) deploying; gets data roles on storage, Key Vault and (when enabled) the Service Bus topic for local debugging and for setting secrets. Empty: no roles.')
param principalId string = ''

@description('Optional. Type of the principalId principal.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param principalType string = 'User'

@description('Optional. Name of the resource group; default rg-<environmentName>.')
param resourceGroupName string = ''

@description('Optional. UTC NCRONTAB (6 fields) for the ETF flows ingestion: at :05 and :35 from 20:00 UTC (the close under EDT; 21:00 under EST) to 02:59 UTC, and 12:00-14:59 UTC for next-morning late funds and revisions, Monday to Saturday. Same default as the code.')
param etfFlowsSchedule string = '0 5,35 0-2,12-14,20-23 * * 1-6'

@description('Optional. UTC NCRONTAB (6 fields) for the CoinShares weekly fund-flows report: hourly on Mondays from the European morning until the new week is stored, with a Tuesday catch-up (07:15-21:15 UTC). Same default as the code.')
param weeklyFlowsSchedule string = '0 15 7-21 * * 1-2'

@description('Optional. UTC NCRONTAB (6 fields) for the hourly derivatives readings (basis, funding, open interest).')
param derivativesSchedule string = '0 5 * * * *'

@description('Optional. UTC NCRONTAB (6 fields) for the daily derivatives snapshot at the US close: 20:15 and 21:15 UTC on weekdays so both EDT and EST closes are covered. Same default as the code.')
param derivativesCloseSchedule string = '0 15 20,21 * * 1-5'

@description('Optional. Queue of evaluation requests (EvaluationQueueName); its poison queue <name>-poison is declared too.')
@minLength(3)
@maxLength(56)
param evaluationQueueName string = 'evaluations'

@description('Optional. Deploy the Service Bus channel: a Standard namespace (a fixed base charge of about US$10 a month at list prices, many times the rest of the default deployment: see docs/cost.md), the regime events topic with an example subscription, the app identity\'s Azure Service Bus Data Sender role on the topic and the app settings that turn the channel on. Off: none of these exist and the app registers no Service Bus channel.')
param enableServiceBus bool = false

@description('Optional. Service Bus topic the alerts publish regime events to (when enableServiceBus).')
param regimeEventsTopicName string = 'regime-events'

@description('Optional. An example subscription on the regime events topic (when enableServiceBus), so events can be inspected (Service Bus Explorer) or consumed right away.')
param regimeEventsSampleSubscriptionName string = 'sample'

@description('Optional. The third-party secrets the app can read from Key Vault, each with the app setting that references it.')
param keyVaultSecretSettings keyVaultSecretSettingType[] = [
  {
    secretName: 'teams-webhook-url'
    appSetting: 'Tapewatch__Alerts__Teams__WebhookUrl'
  }
  {
    secretName: 'smtp-password'
    appSetting: 'Tapewatch__Alerts__Email__Password'
  }
  {
    secretName: 'sosovalue-api-key'
    appSetting: 'Tapewatch__Flows__SoSoValue__ApiKey'
  }
  {
    secretName: 'coinalyze-api-key'
    appSetting: 'Tapewatch__Derivatives__Coinalyze__ApiKey'
  }
]

@description('Optional. Comma-separated names of the secrets already set in Key Vault (e.g. "teams-webhook-url,smtp-password"). Only these get Key Vault reference app settings: a reference to a missing secret would not resolve, and the app refuses to start with an unresolved reference.')
param configuredSecretNames string = ''

@description('Optional. Purge protection on the Key Vault. Off by default so `azd down --purge` removes the environment completely; turn it on for production.')
param keyVaultEnablePurgeProtection bool = false

@description('Optional. Most instances the Flex Consumption app scales out to: 40, the least Flex Consumption allows, bounds what a burst of requests can cost (the app needs one instance).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Optional. Daily Log Analytics ingestion cap in GB, a decimal string (\'-1\' for none). The default deployment sends a few MB a day (docs/cost.md); 0.1 GB a day keeps even a runaway month (about 3 GB) inside the 5 GB of monthly ingestion included per billing account. Ingestion stops for the rest of the UTC day at the cap.')
param logAnalyticsDailyQuotaGb string = '0.1'

@description('Optional. Memory per Flex Consumption instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

// ---------------------------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------------------------

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}

@description('The azd service this app is deployed as: must match the service name in azure.yaml.')
var serviceName = 'api'

var names = {
  resourceGroup: empty(resourceGroupName) ? '${abbrs.resourcesResourceGroups}${environmentName}' : resourceGroupName
  identity: '${abbrs.managedIdentityUserAssignedIdentities}${serviceName}-${resourceToken}'
  storage: '${abbrs.storageStorageAccounts}${resourceToken}'
  serviceBus: '${abbrs.serviceBusNamespaces}${resourceToken}'
  logAnalytics: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
  applicationInsights: '${abbrs.insightsComponents}${resourceToken}'
  keyVault: '${abbrs.keyVaultVaults}${resourceToken}'
  plan: '${abbrs.webServerFarms}${resourceToken}'
  functionApp: '${abbrs.webSitesFunctions}${serviceName}-${resourceToken}'
}

// Every table the app uses (TableNames.All in functions/Tapewatch.Infrastructure/Storage/StorageNames.cs; a test keeps them equal).
var tableNames = [
  'EtfSessions'
  'EtfRevisions'
  'WeeklyFlows'
  'WeeklyRevisions'
  'DerivativesHourly'
  'DerivativesDaily'
  'IngestionRuns'
  'Evaluations'
  'EvaluationHistory'
  'Alerts'
  'Notifications'
  'Silences'
]

var deploymentContainerName = 'app-package'

var configuredSecrets = filter(
  keyVaultSecretSettings,
  s => contains(map(split(configuredSecretNames, ','), n => trim(n)), s.secretName)
)

var hasPrincipal = !empty(principalId)

// Role assignments to the app identity get names from deterministic inputs (the identity's principal ID is only known
// once it exists), so re-deployments and what-if predict them.
var identityRoleAssignmentSeed = '${subscription().id}/${names.resourceGroup}/${names.identity}'

// ---------------------------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------------------------

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: names.resourceGroup
  location: location
  tags: tags
}

module identity 'modules/managed-identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

var appStorageRoles = [
  builtInRoleIds.storageBlobDataOwner // Functions host: leases, timers, deployment package
  builtInRoleIds.storageTableDataContributor // TapewatchStorage tables
  builtInRoleIds.storageQueueDataContributor // evaluation queue trigger and EvaluationQueue
]

var userStorageRoles = [
  builtInRoleIds.storageBlobDataContributor
  builtInRoleIds.storageTableDataContributor
  builtInRoleIds.storageQueueDataContributor
]

module storage 'modules/storage-account.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: tags
    allowSharedKeyAccess: false
    blobContainerNames: [
      deploymentContainerName
    ]
    queueNames: [
      evaluationQueueName
      '${evaluationQueueName}-poison'
    ]
    tableNames: tableNames
    roleAssignments: concat(
      map(appStorageRoles, roleId => {
        name: guid(identityRoleAssignmentSeed, names.storage, roleId)
        roleDefinitionId: roleId
        principalId: identity.outputs.principalId
        principalType: 'ServicePrincipal'
        description: 'Tapewatch Function app'
      }),
      hasPrincipal
        ? map(userStorageRoles, roleId => {
            roleDefinitionId: roleId
            principalId: principalId
            principalType: principalType
            description: 'Deploying user: local debugging'
          })
        : []
    )
  }
}

module serviceBus 'modules/service-bus.bicep' = if (enableServiceBus) {
  name: 'service-bus'
  scope: rg
  params: {
    name: names.serviceBus
    location: location
    tags: tags
    skuName: 'Standard'
    disableLocalAuth: true
    topics: [
      {
        name: regimeEventsTopicName
        duplicateDetectionHistoryTimeWindow: 'PT1H'
        subscriptions: [
          {
            name: regimeEventsSampleSubscriptionName
            defaultMessageTimeToLive: 'P7D'
          }
        ]
        roleAssignments: concat(
          [
            {
              name: guid(identityRoleAssignmentSeed, names.serviceBus, regimeEventsTopicName, builtInRoleIds.azureServiceBusDataSender)
              roleDefinitionId: builtInRoleIds.azureServiceBusDataSender
              principalId: identity.outputs.principalId
              principalType: 'ServicePrincipal'
              description: 'Tapewatch Function app: publish regime events'
            }
          ],
          hasPrincipal
            ? [
                {
                  roleDefinitionId: builtInRoleIds.azureServiceBusDataSender
                  principalId: principalId
                  principalType: principalType
                  description: 'Deploying user: local debugging'
                }
                {
                  roleDefinitionId: builtInRoleIds.azureServiceBusDataReceiver
                  principalId: principalId
                  principalType: principalType
                  description: 'Deploying user: read the sample subscription'
                }
              ]
            : []
        )
      }
    ]
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
    disableLocalAuth: true
    retentionInDays: 30
    dailyQuotaGb: logAnalyticsDailyQuotaGb
    roleAssignments: [
      {
        name: guid(identityRoleAssignmentSeed, names.applicationInsights, builtInRoleIds.monitoringMetricsPublisher)
        roleDefinitionId: builtInRoleIds.monitoringMetricsPublisher
        principalId: identity.outputs.principalId
        principalType: 'ServicePrincipal'
        description: 'Tapewatch Function app: Entra ID-authenticated telemetry'
      }
    ]
  }
}

module keyVault 'modules/key-vault.bicep' = {
  name: 'key-vault'
  scope: rg
  params: {
    name: names.keyVault
    location: location
    tags: tags
    enablePurgeProtection: keyVaultEnablePurgeProtection
    roleAssignments: concat(
      [
        {
          name: guid(identityRoleAssignmentSeed, names.keyVault, builtInRoleIds.keyVaultSecretsUser)
          roleDefinitionId: builtInRoleIds.keyVaultSecretsUser
          principalId: identity.outputs.principalId
          principalType: 'ServicePrincipal'
          description: 'Tapewatch Function app: Key Vault references'
        }
      ],
      hasPrincipal
        ? [
            {
              roleDefinitionId: builtInRoleIds.keyVaultSecretsOfficer
              principalId: principalId
              principalType: principalType
              description: 'Deploying user: set the third-party secrets'
            }
          ]
        : []
    )
  }
}

var storageSettings = {
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.outputs.clientId
  AzureWebJobsStorage__blobServiceUri: storage.outputs.primaryBlobEndpoint
  AzureWebJobsStorage__queueServiceUri: storage.outputs.primaryQueueEndpoint
  AzureWebJobsStorage__tableServiceUri: storage.outputs.primaryTableEndpoint
  Tapewatch__Storage__TableServiceUri: storage.outputs.primaryTableEndpoint
  Tapewatch__Storage__QueueServiceUri: storage.outputs.primaryQueueEndpoint
  Tapewatch__Storage__ManagedIdentityClientId: identity.outputs.clientId
  AZURE_CLIENT_ID: identity.outputs.clientId
}

var telemetrySettings = {
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.outputs.clientId};Authorization=AAD'
}

var jobSettings = {
  EtfFlowsSchedule: etfFlowsSchedule
  WeeklyFlowsSchedule: weeklyFlowsSchedule
  DerivativesSchedule: derivativesSchedule
  DerivativesCloseSchedule: derivativesCloseSchedule
  EvaluationQueueName: evaluationQueueName
}

// Present only with the namespace: without them the app registers no Service Bus channel (AddAlerts needs TopicName and a
// namespace or connection string).
var serviceBusSettings = enableServiceBus
  ? {
      Tapewatch__Alerts__ServiceBus__FullyQualifiedNamespace: serviceBus!.outputs.fullyQualifiedNamespace
      Tapewatch__Alerts__ServiceBus__TopicName: regimeEventsTopicName
      Tapewatch__Alerts__ServiceBus__ManagedIdentityClientId: identity.outputs.clientId
    }
  : {}

var secretSettings = toObject(
  configuredSecrets,
  s => s.appSetting,
  s => '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.uri}secrets/${s.secretName}/)'
)

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: union(tags, {
      'azd-service-name': serviceName
    })
    planTags: tags
    userAssignedIdentityResourceId: identity.outputs.resourceId
    deploymentStorageContainerUrl: '${storage.outputs.primaryBlobEndpoint}${deploymentContainerName}'
    runtimeName: 'dotnet-isolated'
    runtimeVersion: '10.0'
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    appSettings: union(storageSettings, telemetrySettings, jobSettings, serviceBusSettings, secretSettings)
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Outputs (azd stores them in the environment: `azd env get-values`)
// ---------------------------------------------------------------------------------------------------------------

@description('The region everything was deployed to.')
output AZURE_LOCATION string = location

@description('The Entra ID tenant of the subscription.')
output AZURE_TENANT_ID string = tenant().tenantId

@description('The resource group holding every resource.')
output AZURE_RESOURCE_GROUP string = rg.name

@description('The Function app name (azd deploys the api service here).')
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name

@description('The Function app name, under the azd service naming convention.')
output SERVICE_API_NAME string = functionApp.outputs.name

@description('The HTTPS base URL of the Function app.')
output SERVICE_API_URI string = functionApp.outputs.uri

@description('Client ID of the app\'s user-assigned managed identity.')
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId

@description('The storage account name.')
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name

@description('Table endpoint: set Tapewatch__Storage__TableServiceUri to it to debug locally against Azure.')
output AZURE_STORAGE_TABLE_ENDPOINT string = storage.outputs.primaryTableEndpoint

@description('Queue endpoint: set Tapewatch__Storage__QueueServiceUri to it to debug locally against Azure.')
output AZURE_STORAGE_QUEUE_ENDPOINT string = storage.outputs.primaryQueueEndpoint

@description('The Key Vault that holds the third-party secrets.')
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name

@description('The Key Vault URI.')
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.uri

@description('The Service Bus namespace host name the alerts publish to (empty unless enableServiceBus).')
output AZURE_SERVICE_BUS_NAMESPACE string = enableServiceBus ? serviceBus!.outputs.fullyQualifiedNamespace : ''

@description('The Service Bus topic of regime events (empty unless enableServiceBus).')
output AZURE_SERVICE_BUS_TOPIC_NAME string = enableServiceBus ? regimeEventsTopicName : ''

@description('The Application Insights connection string (not a credential: local auth is disabled).')
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.applicationInsightsConnectionString

