// The vault the pods' secrets come from (SecretProviderClass pulse-keyvault syncs them into the Secret
// pulse-secrets). Access is by RBAC only (roles.bicep); purge protection keeps a deleted secret recoverable.
//
// Secrets:
//   eventhubs-connection-string  set HERE, from the listKeys of the namespace rule 'pulse-app': it is derived
//                                from a resource this deployment owns, never appears in a file or parameter,
//                                and a re-deployment after `az eventhubs namespace authorization-rule keys renew`
//                                rotates it.
//   lake-pseudonymisation-key    set by the OPERATOR, once (az keyvault secret set). It is not declared here, not
//                                even as an empty placeholder: a secret resource in the template would overwrite
//                                the operator's value at every deployment, and changing this key changes every
//                                customer pseudonym in the lake (docs/analysts.md).
@description('Azure region of the vault.')
param location string

@description('Globally unique vault name.')
param keyVaultName string

@description('Event Hubs namespace whose application rule gives the connection string.')
param eventHubsNamespaceName string

@description('Authorization rule of that namespace (Listen, Send).')
param eventHubsAuthorizationRuleName string

@description('Tags on every resource.')
param tags object

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
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
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource namespace 'Microsoft.EventHub/namespaces@2024-05-01-preview' existing = {
  name: eventHubsNamespaceName
}

resource applicationRule 'Microsoft.EventHub/namespaces/authorizationRules@2024-05-01-preview' existing = {
  parent: namespace
  name: eventHubsAuthorizationRuleName
}

resource eventHubsConnectionString 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'eventhubs-connection-string'
  properties: {
    value: applicationRule.listKeys().primaryConnectionString
    contentType: 'Event Hubs connection string (rule ${eventHubsAuthorizationRuleName})'
  }
}

output vaultName string = vault.name
output vaultUri string = vault.properties.vaultUri
@description('Secrets the operator must set with az keyvault secret set before the pods start.')
output operatorSecrets array = [
  'lake-pseudonymisation-key'
]
@description('Secrets this deployment sets.')
output deploymentSecrets array = [
  eventHubsConnectionString.name
]
