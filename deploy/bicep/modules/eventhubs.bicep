// The Event Hubs namespace Pulse's Kafka clients talk to (port 9093), and its topics.
//
// Premium, because Pulse runs Kafka Streams (supported on Premium and Dedicated only) and needs more than
// Standard's 10 event hubs: the catalogue's topics plus Kafka Streams' changelog and repartition topics.
//
// Local (SAS) authentication stays ON (disableLocalAuth: false): Pulse's Kafka clients sign in with SASL PLAIN,
// username $ConnectionString and a connection string as password (KafkaClientSettings); OAUTHBEARER with Entra
// ID is not implemented yet. Turning local auth off would lock every Pulse process out. The connection string
// is that of the rule 'pulse-app' below (Listen and Send, not Manage), not the namespace's root key.
@description('Azure region of the namespace.')
param location string

@description('Globally unique namespace name.')
param namespaceName string

@description('Premium processing units.')
param processingUnits int

@description('Tags on every resource.')
param tags object

resource namespace 'Microsoft.EventHub/namespaces@2024-05-01-preview' = {
  name: namespaceName
  location: location
  tags: tags
  sku: {
    name: 'Premium'
    tier: 'Premium'
    capacity: processingUnits
  }
  properties: {
    minimumTlsVersion: '1.2'
    kafkaEnabled: true
    disableLocalAuth: false
    publicNetworkAccess: 'Enabled'
  }
}

// What the Pulse processes use: send and receive, no management rights (topics are provisioned below,
// by ARM, never by the application).
resource applicationRule 'Microsoft.EventHub/namespaces/authorizationRules@2024-05-01-preview' = {
  parent: namespace
  name: 'pulse-app'
  properties: {
    rights: [
      'Listen'
      'Send'
    ]
  }
}

// Generated from the topic catalogue by `pulse topics --format bicep`: every topic, including Kafka Streams'
// internal ones, with its partitions, retention and compaction. Do not edit it by hand.
module topics 'eventhubs-topics.bicep' = {
  name: 'topics'
  params: {
    namespaceName: namespace.name
  }
}

output namespaceName string = namespace.name
output bootstrapServers string = '${namespace.name}.servicebus.windows.net:9093'
output applicationRuleName string = applicationRule.name
output eventHubNames array = topics.outputs.eventHubNames
