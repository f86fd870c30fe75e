metadata name = 'User-assigned managed identity'
metadata description = 'A user-assigned managed identity: the one identity the Function app uses for storage, Service Bus, Key Vault and Application Insights.'

@description('Required. Name of the user-assigned managed identity.')
@minLength(3)
@maxLength(128)
param name string

@description('Optional. Location for the identity.')
param location string = resourceGroup().location

@description('Optional. Tags of the resource.')
param tags resourceInput<'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30'>.tags?

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

@description('The resource ID of the identity.')
output resourceId string = identity.id

@description('The name of the identity.')
output name string = identity.name

@description('The client (application) ID of the identity: what AzureWebJobsStorage__clientId and the Azure SDK credentials need.')
output clientId string = identity.properties.clientId

@description('The principal (object) ID of the identity: what role assignments need.')
output principalId string = identity.properties.principalId
