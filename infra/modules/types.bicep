metadata name = 'Shared types'
metadata description = 'User-defined types and built-in role definition IDs shared by the Tapewatch modules.'

@export()
@description('A role assignment on the resource a module deploys.')
type roleAssignmentType = {
  @description('Optional. The name (a GUID) of the role assignment. Give a deterministic one when principalId is only known at deployment time, so what-if can predict it; default guid(scope, principalId, role).')
  name: string?

  @description('Required. The built-in role definition GUID (see builtInRoleIds).')
  roleDefinitionId: string

  @description('Required. The object (principal) ID of the user, group or service principal to assign the role to.')
  principalId: string

  @description('Optional. The type of the principal. Set it for new identities to avoid replication-delay failures.')
  principalType: ('ServicePrincipal' | 'User' | 'Group' | 'ForeignGroup' | 'Device')?

  @description('Optional. A description of why the assignment exists.')
  description: string?
}

@export()
@description('Built-in Azure role definition GUIDs used by Tapewatch (the same in every tenant).')
var builtInRoleIds = {
  azureServiceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  azureServiceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
}

