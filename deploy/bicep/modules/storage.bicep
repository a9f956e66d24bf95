// The lake: an ADLS Gen2 account (hierarchical namespace) with the file system Pulse's lake sink writes,
// and each retailer's directories fenced by POSIX ACLs so that its analysts read only their own tenant.
//
// Geo-zone-redundant: the lake is the history that survives the loss of a region (docs/operations.md).
// Shared keys are off: the sink signs in with its workload identity (pulse.lake.adls.auth=default-credential).
@description('Azure region of the account.')
param location string

@description('Globally unique storage account name (3-24 lower-case letters and digits).')
param storageAccountName string

@description('Retailers: objects { name, analystsGroupObjectId }.')
param tenants array

@description('Tags on every resource.')
param tags object

// pulse.lake.adls.file-system's default; the datasets of the lake sink (LakeDatasets).
var fileSystemName = 'pulse'
var datasets = [
  'events'
  'metrics'
  'alerts'
]
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_GZRS'
  }
  properties: {
    isHnsEnabled: true
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    supportsHttpsTrafficOnly: true
    accessTier: 'Hot'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource fileSystem 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: fileSystemName
  properties: {
    publicAccess: 'None'
  }
}

// Directories and ACLs are data-plane operations that ARM cannot do: a deployment script does them, as an
// identity that may set ACLs (Storage Blob Data Owner makes it a POSIX super-user on this account only).
resource aclIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-pulse-lake-acl'
  location: location
  tags: tags
}

resource aclIdentityOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, aclIdentity.id, storageBlobDataOwner)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwner)
    principalId: aclIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Creates <dataset>/tenant=<t> for every tenant and dataset and sets the ACLs described in docs/analysts.md
// ("One retailer's analysts see one retailer's data"). One script for all tenants, so that the shared
// directories' ACLs (root, datasets) are written whole, from the tenants list, by one writer.
resource tenantDirectories 'Microsoft.Resources/deploymentScripts@2023-08-01' = {
  name: 'lake-tenant-directories'
  location: location
  tags: tags
  kind: 'AzureCLI'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${aclIdentity.id}': {}
    }
  }
  dependsOn: [
    fileSystem
    aclIdentityOwner
  ]
  properties: {
    azCliVersion: '2.63.0'
    retentionInterval: 'PT1H'
    timeout: 'PT30M'
    cleanupPreference: 'OnSuccess'
    // A change of the tenants list re-runs the script.
    forceUpdateTag: uniqueString(string(tenants))
    environmentVariables: [
      {
        name: 'ACCOUNT'
        value: account.name
      }
      {
        name: 'FILE_SYSTEM'
        value: fileSystem.name
      }
      {
        name: 'DATASETS'
        value: join(datasets, ' ')
      }
      {
        name: 'TENANTS_JSON'
        value: string(tenants)
      }
    ]
    scriptContent: loadTextContent('scripts/lake-tenant-directories.sh')
  }
}

output accountName string = account.name
output dfsEndpoint string = account.properties.primaryEndpoints.dfs
output fileSystemName string = fileSystem.name
