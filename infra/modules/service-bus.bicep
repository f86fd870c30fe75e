metadata name = 'Service Bus namespace'
metadata description = 'A Service Bus namespace reached with Entra ID only (local SAS auth disabled), with topics, their subscriptions and role assignments scoped to each topic.'

import { roleAssignmentType } from 'types.bicep'

@export()
@description('A topic subscription.')
type subscriptionType = {
  @description('Required. Name of the subscription.')
  name: string

  @description('Optional. How long an unconsumed message lives (ISO 8601 duration).')
  defaultMessageTimeToLive: string?

  @description('Optional. Deliveries before a message is dead-lettered.')
  @minValue(1)
  maxDeliveryCount: int?
}

@export()
@description('A topic with its subscriptions and the role assignments scoped to it.')
type topicType = {
  @description('Required. Name of the topic.')
  name: string

  @description('Optional. How long a message lives in the topic (ISO 8601 duration).')
  defaultMessageTimeToLive: string?

  @description('Optional. Window in which messages with the same MessageId are dropped as duplicates (ISO 8601 duration). Enables duplicate detection.')
  duplicateDetectionHistoryTimeWindow: string?

  @description('Optional. Subscriptions of the topic.')
  subscriptions: subscriptionType[]?

  @description('Optional. Role assignments scoped to this topic (least privilege: a sender needs no rights on other entities).')
  roleAssignments: roleAssignmentType[]?
}

@description('Required. Name of the Service Bus namespace (6-50 characters, globally unique).')
@minLength(6)
@maxLength(50)
param name string

@description('Optional. Location for the namespace.')
param location string = resourceGroup().location

@description('Optional. Tags of the resource.')
param tags resourceInput<'Microsoft.ServiceBus/namespaces@2026-01-01'>.tags?

@description('Optional. Namespace tier. Topics need Standard or Premium.')
@allowed([
  'Standard'
  'Premium'
])
param skuName string = 'Standard'

@description('Optional. Whether SAS keys (local auth) are disabled. Default true: Entra ID only.')
param disableLocalAuth bool = true

@description('Optional. Whether the namespace accepts traffic from public networks.')
@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string = 'Enabled'

@description('Optional. Topics to create.')
param topics topicType[] = []

@description('Optional. Role assignments on the whole namespace.')
param roleAssignments roleAssignmentType[] = []

var topicSubscriptions = flatten(map(
  range(0, length(topics)),
  i => map(topics[i].?subscriptions ?? [], s => { topicIndex: i, subscription: s })
))

var topicRoleAssignments = flatten(map(
  range(0, length(topics)),
  i => map(topics[i].?roleAssignments ?? [], ra => { topicIndex: i, assignment: ra })
))

resource namespace 'Microsoft.ServiceBus/namespaces@2026-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: skuName
  }
  properties: {
    disableLocalAuth: disableLocalAuth
    minimumTlsVersion: '1.2'
    publicNetworkAccess: publicNetworkAccess
  }
}

resource namespaceTopics 'Microsoft.ServiceBus/namespaces/topics@2026-01-01' = [
  for topic in topics: {
    parent: namespace
    name: topic.name
    properties: {
      defaultMessageTimeToLive: topic.?defaultMessageTimeToLive ?? 'P14D'
      requiresDuplicateDetection: topic.?duplicateDetectionHistoryTimeWindow != null
      duplicateDetectionHistoryTimeWindow: topic.?duplicateDetectionHistoryTimeWindow
      enableBatchedOperations: true
    }
  }
]

resource namespaceTopicSubscriptions 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2026-01-01' = [
  for item in topicSubscriptions: {
    parent: namespaceTopics[item.topicIndex]
    name: item.subscription.name
    properties: {
      defaultMessageTimeToLive: item.subscription.?defaultMessageTimeToLive ?? 'P14D'
      maxDeliveryCount: item.subscription.?maxDeliveryCount ?? 10
      deadLetteringOnMessageExpiration: true
    }
  }
]

resource topicScopedRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for item in topicRoleAssignments: {
    name: item.assignment.?name ?? guid(namespaceTopics[item.topicIndex].id, item.assignment.principalId, item.assignment.roleDefinitionId)
    scope: namespaceTopics[item.topicIndex]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', item.assignment.roleDefinitionId)
      principalId: item.assignment.principalId
      principalType: item.assignment.?principalType
      description: item.assignment.?description
    }
  }
]

resource namespaceRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for assignment in roleAssignments: {
    name: assignment.?name ?? guid(namespace.id, assignment.principalId, assignment.roleDefinitionId)
    scope: namespace
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleDefinitionId)
      principalId: assignment.principalId
      principalType: assignment.?principalType
      description: assignment.?description
    }
  }
]

@description('The resource ID of the namespace.')
output resourceId string = namespace.id

@description('The name of the namespace.')
output name string = namespace.name

@description('The fully qualified namespace host name (e.g. <name>.servicebus.windows.net, taken from the endpoint so it is right in every cloud) that Azure SDK clients connect to with a token credential.')
output fullyQualifiedNamespace string = split(split(namespace.properties.serviceBusEndpoint, '/')[2], ':')[0]

@description('The names of the topics created.')
output topicNames string[] = [for (topic, i) in topics: namespaceTopics[i].name]
