// Optional sink for integration events (SPEC 6): the lead-events topic. Standard is the
// lowest tier with topics; local (SAS) authentication is off, the app sends with its identity.
param name string
param location string
param tags object

resource namespace 'Microsoft.ServiceBus/namespaces@2026-01-01' = {
  name: name
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard' }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource topic 'Microsoft.ServiceBus/namespaces/topics@2026-01-01' = {
  parent: namespace
  name: 'lead-events'
  properties: {
    // Events carry MessageId = event id, so a redelivered event is dropped within this window.
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT1H'
    defaultMessageTimeToLive: 'P14D'
  }
}

output name string = namespace.name
