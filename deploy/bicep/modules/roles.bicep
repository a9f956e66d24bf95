// Who may do what, for the three component identities (and, optionally, the operator):
//   insights  (Kafka Streams + API): receives and sends on Event Hubs; reads Key Vault secrets
//   ingest    (HTTP, JDBC, Blob sources): sends on Event Hubs (dead letters too); reads Key Vault secrets
//   lake sink (topics to Parquet): receives on Event Hubs, sends dead letters; writes the lake; reads secrets
//   id-pulse-secrets (the SecretProviderClass's identity): reads Key Vault secrets, nothing else
// The Event Hubs roles take effect when the clients sign in with Entra ID (pulse.kafka.auth=entra-id, SASL
// OAUTHBEARER); with the connection string in Key Vault (the overlays' default) they pre-authorise the least privilege.
// Role assignments are named with guid(scope, principal, role), so a re-deployment finds them again.
@description('Event Hubs namespace name.')
param eventHubsNamespaceName string

@description('Lake storage account name.')
param storageAccountName string

@description('Key Vault name.')
param keyVaultName string

@description('Principal (object) id of id-pulse-insights.')
param insightsPrincipalId string

@description('Principal (object) id of id-pulse-ingest.')
param ingestPrincipalId string

@description('Principal (object) id of id-pulse-lake-sink.')
param lakeSinkPrincipalId string

@description('Principal (object) id of id-pulse-secrets.')
param secretsReaderPrincipalId string

@description('Object id of the operator who sets Key Vault secrets; empty: nobody.')
param operatorPrincipalId string

// Built-in role definition ids (the same in every subscription).
var builtInRoles = {
  'Azure Event Hubs Data Receiver': 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde'
  'Azure Event Hubs Data Sender': '2b629674-e913-4c01-ae53-ef4638d8f975'
  'Storage Blob Data Contributor': 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  'Key Vault Secrets User': '4633458b-17de-408a-b874-0445c86b69e6'
  'Key Vault Secrets Officer': 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
}

var eventHubsGrants = [
  {
    principalId: insightsPrincipalId
    role: 'Azure Event Hubs Data Receiver'
  }
  {
    principalId: insightsPrincipalId
    role: 'Azure Event Hubs Data Sender'
  }
  {
    principalId: ingestPrincipalId
    role: 'Azure Event Hubs Data Sender'
  }
  {
    principalId: lakeSinkPrincipalId
    role: 'Azure Event Hubs Data Receiver'
  }
  {
    principalId: lakeSinkPrincipalId
    role: 'Azure Event Hubs Data Sender'
  }
]

var storageGrants = [
  {
    principalId: lakeSinkPrincipalId
    role: 'Storage Blob Data Contributor'
  }
]

var keyVaultGrants = [
  {
    principalId: insightsPrincipalId
    role: 'Key Vault Secrets User'
  }
  {
    principalId: ingestPrincipalId
    role: 'Key Vault Secrets User'
  }
  {
    principalId: lakeSinkPrincipalId
    role: 'Key Vault Secrets User'
  }
  {
    principalId: secretsReaderPrincipalId
    role: 'Key Vault Secrets User'
  }
]

resource namespace 'Microsoft.EventHub/namespaces@2024-05-01-preview' existing = {
  name: eventHubsNamespaceName
}

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource eventHubsRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for g in eventHubsGrants: {
  name: guid(namespace.id, g.principalId, builtInRoles[g.role])
  scope: namespace
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles[g.role])
    principalId: g.principalId
    principalType: 'ServicePrincipal'
  }
}]

resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for g in storageGrants: {
  name: guid(account.id, g.principalId, builtInRoles[g.role])
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles[g.role])
    principalId: g.principalId
    principalType: 'ServicePrincipal'
  }
}]

resource keyVaultRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for g in keyVaultGrants: {
  name: guid(vault.id, g.principalId, builtInRoles[g.role])
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles[g.role])
    principalId: g.principalId
    principalType: 'ServicePrincipal'
  }
}]

// The operator sets lake-pseudonymisation-key (and rotates secrets): docs/operations.md.
resource operatorSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(operatorPrincipalId)) {
  name: guid(vault.id, operatorPrincipalId, builtInRoles['Key Vault Secrets Officer'])
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles['Key Vault Secrets Officer'])
    principalId: operatorPrincipalId
  }
}
