// Pulse on Azure: Event Hubs (Kafka endpoint), the ADLS Gen2 lake, the workload identities of the three
// components, their role assignments and the Key Vault their secrets come from. One resource group per
// environment; AKS itself is not created here (Pulse runs on an existing cluster with workload identity).
// Deploy: az deployment group create -g <rg> -f deploy/bicep/main.bicep -p @main.parameters.json
// What to do before and after: docs/operations.md.
targetScope = 'resourceGroup'

@description('Azure region of every resource.')
param location string = resourceGroup().location

@description('Prefix of resource names: lower-case letters, digits and hyphens, starting with a letter (e.g. pulse-prod).')
@minLength(3)
@maxLength(20)
param namePrefix string

@description('OIDC issuer URL of the AKS cluster (az aks show -g <rg> -n <aks> --query oidcIssuerProfile.issuerUrl -o tsv).')
param aksOidcIssuerUrl string

@description('Retailers whose analysts read the lake: objects { name: tenant id as Pulse uses it, analystsGroupObjectId: Entra ID group }.')
param tenants array

@description('Event Hubs Premium processing units; each allows 100 event hubs and 200 partitions more.')
@allowed([
  1
  2
  4
  8
  16
])
param processingUnits int = 1

@description('Kubernetes namespace of the Pulse ServiceAccounts (deploy/k8s/base).')
param kubernetesNamespace string = 'pulse'

@description('Object id of the operator (user or group) allowed to set Key Vault secrets; empty: assign nobody.')
param operatorPrincipalId string = ''

@description('Tags on every resource.')
param tags object = {
  application: 'pulse'
}

var suffix = uniqueString(resourceGroup().id)
var compactPrefix = replace(toLower(namePrefix), '-', '')
var eventHubsNamespaceName = '${namePrefix}-events-${take(suffix, 6)}'
var storageAccountName = take('${take(compactPrefix, 7)}lake${suffix}', 24)
var keyVaultName = take('${take(compactPrefix, 9)}kv${suffix}', 24)

module identities 'modules/identities.bicep' = {
  name: 'identities'
  params: {
    location: location
    aksOidcIssuerUrl: aksOidcIssuerUrl
    kubernetesNamespace: kubernetesNamespace
    tags: tags
  }
}

module eventHubs 'modules/eventhubs.bicep' = {
  name: 'eventhubs'
  params: {
    location: location
    namespaceName: eventHubsNamespaceName
    processingUnits: processingUnits
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    storageAccountName: storageAccountName
    tenants: tenants
    tags: tags
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    keyVaultName: keyVaultName
    eventHubsNamespaceName: eventHubs.outputs.namespaceName
    eventHubsAuthorizationRuleName: eventHubs.outputs.applicationRuleName
    tags: tags
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    eventHubsNamespaceName: eventHubs.outputs.namespaceName
    storageAccountName: storage.outputs.accountName
    keyVaultName: keyVault.outputs.vaultName
    insightsPrincipalId: identities.outputs.insightsPrincipalId
    ingestPrincipalId: identities.outputs.ingestPrincipalId
    lakeSinkPrincipalId: identities.outputs.lakeSinkPrincipalId
    secretsReaderPrincipalId: identities.outputs.secretsReaderPrincipalId
    operatorPrincipalId: operatorPrincipalId
  }
}

// What the Kubernetes overlay needs (docs/operations.md, "Deploy").
@description('pulse.kafka.bootstrap-servers')
output bootstrapServers string = eventHubs.outputs.bootstrapServers
@description('pulse.lake.adls.endpoint')
output lakeEndpoint string = storage.outputs.dfsEndpoint
@description('pulse.lake.adls.file-system')
output lakeFileSystem string = storage.outputs.fileSystemName
@description('keyvaultName of the SecretProviderClass pulse-keyvault')
output keyVaultName string = keyVault.outputs.vaultName
output keyVaultUri string = keyVault.outputs.vaultUri
@description('Secrets the operator sets with az keyvault secret set; the others are set by this deployment.')
output secretsToSet array = keyVault.outputs.operatorSecrets
@description('azure.workload.identity/client-id of the ServiceAccount pulse-insights')
output insightsClientId string = identities.outputs.insightsClientId
@description('azure.workload.identity/client-id of the ServiceAccount pulse-ingest')
output ingestClientId string = identities.outputs.ingestClientId
@description('azure.workload.identity/client-id of the ServiceAccount pulse-lake-sink')
output lakeSinkClientId string = identities.outputs.lakeSinkClientId
@description('clientID of the SecretProviderClass pulse-keyvault (id-pulse-secrets)')
output secretsReaderClientId string = identities.outputs.secretsReaderClientId
@description('tenantId of the SecretProviderClass pulse-keyvault')
output tenantId string = subscription().tenantId
