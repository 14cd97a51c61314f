// The Flex Consumption plan and the function app: .NET 10 isolated worker, deployed from a blob
// container with the user-assigned identity, which is also how it reaches storage, telemetry and
// Service Bus. Platform CORS stays unset: the capture function answers CORS itself, for the
// origins in Capture__AllowedOrigins only.
// App Service Authentication stays off too: the app validates Entra ID tokens and API keys itself
// (Auth__* in appSettings), the same way on every plan and locally, and the host's function keys
// guard only the host's own admin endpoints.
param name string
param planName string
param location string
param tags object
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerName string
param applicationInsightsName string
@description('Empty when events do not go to Service Bus.')
param serviceBusNamespaceName string
param maximumInstanceCount int
param instanceMemoryMB int
@description('The app\'s own settings (README, Configuration), added to the connection settings below.')
param appSettings object

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

// Identity-based connections, read by the Functions host and by the app (StorageConnection) alike.
var connectionSettings = {
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
  AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
  AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
}

var serviceBusSettings = empty(serviceBusNamespaceName)
  ? {}
  : {
      Events__ServiceBus__FullyQualifiedNamespace: '${serviceBusNamespaceName}.servicebus.windows.net'
      Events__ServiceBus__credential: 'managedidentity'
      Events__ServiceBus__clientId: identityClientId
      Events__ServiceBus__Topic: 'lead-events'
    }

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

resource settings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: app
  name: 'appsettings'
  // The events' CloudEvents source names this deployment; webhooks never reach this machine in Azure.
  properties: union(appSettings, connectionSettings, serviceBusSettings, {
    Events__Source: 'https://${app.properties.defaultHostName}/api'
    Events__Webhooks__AllowInsecureLocal: 'false'
  })
}

output name string = app.name
output uri string = 'https://${app.properties.defaultHostName}'
