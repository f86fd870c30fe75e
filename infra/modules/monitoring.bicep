metadata name = 'Monitoring'
metadata description = 'A Log Analytics workspace and a workspace-based Application Insights component, both accepting Entra ID-authenticated ingestion only (local auth disabled).'

import { roleAssignmentType } from 'types.bicep'

@description('Required. Name of the Log Analytics workspace.')
@minLength(4)
@maxLength(63)
param logAnalyticsName string

@description('Required. Name of the Application Insights component.')
@minLength(1)
@maxLength(260)
param applicationInsightsName string

@description('Optional. Location for both resources.')
param location string = resourceGroup().location

@description('Optional. Tags of the resources.')
param tags resourceInput<'Microsoft.OperationalInsights/workspaces@2026-03-01'>.tags?

@description('Optional. Days the workspace keeps data. Up to 31 days are included in the ingestion price (Application Insights tables: 90); longer retention is billed per GB and month.')
@minValue(30)
@maxValue(730)
param retentionInDays int = 30

@description('Optional. Daily ingestion cap in GB as a decimal string (e.g. \'0.1\'; \'-1\' for none). Ingestion stops for the rest of the UTC day once it is reached, so a noisy app cannot run up a bill: 0.1 GB a day is at most about 3 GB a month, inside the 5 GB a month that pay-as-you-go ingestion includes per billing account.')
param dailyQuotaGb string = '0.1'

@description('Optional. Whether instrumentation-key (local) authentication is disabled. Default true: telemetry must carry an Entra ID token.')
param disableLocalAuth bool = true

@description('Optional. Role assignments on the Application Insights component (e.g. Monitoring Metrics Publisher for the app identity).')
param roleAssignments roleAssignmentType[] = []

resource workspace 'Microsoft.OperationalInsights/workspaces@2026-03-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    retentionInDays: retentionInDays
    sku: {
      name: 'PerGB2018'
    }
    workspaceCapping: {
      dailyQuotaGb: json(dailyQuotaGb)
    }
    features: {
      disableLocalAuth: disableLocalAuth
    }
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    DisableLocalAuth: disableLocalAuth
    IngestionMode: 'LogAnalytics'
    WorkspaceResourceId: workspace.id
  }
}

resource insightsRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for assignment in roleAssignments: {
    name: assignment.?name ?? guid(applicationInsights.id, assignment.principalId, assignment.roleDefinitionId)
    scope: applicationInsights
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleDefinitionId)
      principalId: assignment.principalId
      principalType: assignment.?principalType
      description: assignment.?description
    }
  }
]

@description('The resource ID of the Log Analytics workspace.')
output logAnalyticsWorkspaceResourceId string = workspace.id

@description('The name of the Application Insights component.')
output applicationInsightsName string = applicationInsights.name

@description('The resource ID of the Application Insights component.')
output applicationInsightsResourceId string = applicationInsights.id

@description('The Application Insights connection string (ingestion endpoint and instrumentation key; not a credential while local auth is disabled).')
output applicationInsightsConnectionString string = applicationInsights.properties.ConnectionString
