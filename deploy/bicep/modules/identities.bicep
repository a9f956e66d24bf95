// The user-assigned identities of Pulse's three components, each trusted for exactly one Kubernetes
// ServiceAccount of the AKS cluster (workload identity federation): a pod with that ServiceAccount gets
// Entra ID tokens for the identity, with no secret in the cluster.
//
// A fourth identity, id-pulse-secrets, only reads Key Vault: the one SecretProviderClass pulse-keyvault (mounted
// by all three components) names one clientID, and the CSI driver exchanges each pod's ServiceAccount token for
// it, so that identity must trust all three ServiceAccounts. Giving it no other role keeps each component's own
// identity trusted by that component alone.
@description('Azure region of the identities.')
param location string

@description('OIDC issuer URL of the AKS cluster.')
param aksOidcIssuerUrl string

@description('Kubernetes namespace of the ServiceAccounts.')
param kubernetesNamespace string

@description('Tags on every resource.')
param tags object

// One identity per component; the ServiceAccount names are those of deploy/k8s/base.
var workloads = [
  {
    identityName: 'id-pulse-insights'
    serviceAccount: 'pulse-insights'
  }
  {
    identityName: 'id-pulse-ingest'
    serviceAccount: 'pulse-ingest'
  }
  {
    identityName: 'id-pulse-lake-sink'
    serviceAccount: 'pulse-lake-sink'
  }
]

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = [for w in workloads: {
  name: w.identityName
  location: location
  tags: tags
}]

// Federated credentials are written one at a time: Entra ID rejects concurrent writes.
@batchSize(1)
resource federation 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31' = [for (w, i) in workloads: {
  parent: identity[i]
  name: 'aks-${w.serviceAccount}'
  properties: {
    issuer: aksOidcIssuerUrl
    subject: 'system:serviceaccount:${kubernetesNamespace}:${w.serviceAccount}'
    audiences: [
      'api://AzureADTokenExchange'
    ]
  }
}]

resource secretsReader 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-pulse-secrets'
  location: location
  tags: tags
}

@batchSize(1)
resource secretsFederation 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31' = [for w in workloads: {
  parent: secretsReader
  name: 'aks-${w.serviceAccount}'
  dependsOn: [
    federation
  ]
  properties: {
    issuer: aksOidcIssuerUrl
    subject: 'system:serviceaccount:${kubernetesNamespace}:${w.serviceAccount}'
    audiences: [
      'api://AzureADTokenExchange'
    ]
  }
}]

output insightsClientId string = identity[0].properties.clientId
output insightsPrincipalId string = identity[0].properties.principalId
output ingestClientId string = identity[1].properties.clientId
output ingestPrincipalId string = identity[1].properties.principalId
output lakeSinkClientId string = identity[2].properties.clientId
output lakeSinkPrincipalId string = identity[2].properties.principalId
output secretsReaderClientId string = secretsReader.properties.clientId
output secretsReaderPrincipalId string = secretsReader.properties.principalId
