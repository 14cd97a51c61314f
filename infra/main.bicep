// LeadFunctions on Azure Functions Flex Consumption, in the shape of the Azure-Samples azd
// templates: one resource group, a user-assigned identity with exactly the data roles the app
// needs, storage without shared keys, Application Insights without local authentication, and
// optionally a Service Bus topic for integration events. No secret is a parameter or an output.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; it names the resource group and seeds the resource names.')
param environmentName string

@minLength(1)
@description('Azure region for every resource (one that offers Flex Consumption).')
param location string

@description('Browser origins allowed to post to /api/capture and to be _redirect targets, comma-separated (Capture__AllowedOrigins). Empty: no browser origin.')
param captureAllowedOrigins string = ''

@minLength(2)
@maxLength(2)
@description('Region for phone numbers written without a country code (Leads__DefaultPhoneRegion).')
param defaultPhoneRegion string = 'US'

@minValue(1)
@maxValue(100000)
@description('Captures per client address per minute (Capture__RateLimitPerMinute).')
param captureRateLimitPerMinute int = 30

@minValue(1024)
@maxValue(1048576)
@description('Largest capture body in bytes (Capture__MaxBodyBytes).')
param captureMaxBodyBytes int = 32768

@description('The same email with the same content within this window is a repeat (Capture__RepeatWindow).')
param captureRepeatWindow string = '00:10:00'

@allowed([
  'X-Client-IP'
  'X-Azure-SocketIP'
])
@description('The header that names the caller, as the platform vouches for it (Capture__ClientAddressHeader): X-Client-IP from App Service\'s front end; X-Azure-SocketIP when Azure Front Door is in front (not X-Azure-ClientIP, which Front Door takes from the caller\'s X-Forwarded-For).')
param captureClientAddressHeader string = 'X-Client-IP'

@description('Rows one page of GET /leads with filters combined may read before it answers short, with a token (Leads__ListPageReadLimit).')
@minValue(1)
@maxValue(10000)
param leadsListPageReadLimit int = 1000

@description('A merge still pending after this long is rolled back (Merges__StaleAfter).')
param mergesStaleAfter string = '00:00:30'

@description('Create a Service Bus namespace and lead-events topic (Standard tier, about 10 USD a month) and publish the integration events there too.')
param useServiceBus bool = false

@description('Send the integration events to the lead-events storage queue of the app\'s own account (Events__StorageQueue__Enabled; costs cents).')
param eventsStorageQueue bool = true

@description('What the lead-events queue\'s messages carry: Thin (ids, type, time, dataref; nothing an erasure must reach) or Full (the record) (Events__StorageQueue__Payload).')
@allowed(['Thin', 'Full'])
param eventsStorageQueuePayload string = 'Thin'

@description('What the Service Bus topic\'s messages carry: Full (the record) or Thin (Events__ServiceBus__Payload).')
@allowed(['Full', 'Thin'])
param eventsServiceBusPayload string = 'Full'

@description('What webhook deliveries carry: Full (the record) or Thin (Events__Webhooks__Payload).')
@allowed(['Full', 'Thin'])
param eventsWebhookPayload string = 'Full'

@description('NCRONTAB schedule of the sweep that lists and checks again records whose duplicate check never ended (Ingest__SweepSchedule).')
param ingestSweepSchedule string = '0 * * * * *'

@description('A record still pending this long is listed and its check queued again by the sweep (Ingest__RecheckAfter).')
param ingestRecheckAfter string = '00:05:00'

@description('The wait before a failed duplicate check is tried again; each retry after waits twice as long (Ingest__RetryAfter).')
param ingestRetryAfter string = '00:00:05'

@description('The wait before the pairs a check left unwritten on a key\'s records (past 20 neighbours) are written by the key\'s relink (Ingest__RelinkAfter).')
param ingestRelinkAfter string = '00:00:30'

@description('Tries of a duplicate check before the record shows it failed (Ingest__MaxAttempts).')
@minValue(1)
@maxValue(50)
param ingestMaxAttempts int = 8

@description('NCRONTAB schedule of the sweep that delivers events left behind (Events__SweepSchedule).')
param eventsSweepSchedule string = '0 */5 * * * *'

@description('An undelivered event older than this is delivered again by the sweep (Events__SweepAfter).')
param eventsSweepAfter string = '00:02:00'

@description('A webhook delivery still failing this long after its first try is dead-lettered (Events__Webhooks__RetryWindow).')
param eventsWebhookRetryWindow string = '1.00:00:00'

@description('The wait before a webhook delivery\'s first retry; each retry after waits twice as long (Events__Webhooks__FirstRetryAfter).')
param eventsWebhookFirstRetryAfter string = '00:00:10'

@description('How long a webhook receiver has to answer one delivery (Events__Webhooks__Timeout).')
param eventsWebhookTimeout string = '00:00:15'

@description('NCRONTAB schedule of the routing pass that assigns records waiting for someone and sends unanswered ones back to the rules (Routing__Schedule).')
param routingSchedule string = '0 */5 * * * *'

@description('NCRONTAB schedule of the clean-up that deletes expired claims, rate rows, sent events and finished merges\' images (Retention__Schedule).')
param retentionSchedule string = '0 17 * * * *'

@description('How long an Idempotency-Key answers its first request\'s resource, a capture\'s first lead included (Retention__IdempotencyKeys).')
param retentionIdempotencyWindow string = '1.00:00:00'

@description('How long a create holding an Idempotency-Key keeps a repeat waiting (409) before a retry may take it over (Retention__IdempotencyInFlight).')
param retentionIdempotencyInFlight string = '00:00:30'

@description('How long a delivered event\'s outbox row is kept, and how long a lead-events queue message lives (Retention__SentEvents).')
param retentionSentEvents string = '7.00:00:00'

@description('How long a finished webhook delivery stays in the delivery log (Retention__WebhookDeliveries).')
param retentionWebhookDeliveries string = '30.00:00:00'

@description('How long an aborted or undone merge keeps its images (Retention__FinishedMerges); applied merges keep theirs.')
param retentionFinishedMerges string = '7.00:00:00'

@description('How long a finished import keeps its rows, refused rows and claims; its summary stays (Retention__Imports).')
param retentionImports string = '30.00:00:00'

@description('The wait between an erasure round and its next look for the person (Erasure__SettleAfter).')
param erasureSettleAfter string = '00:00:30'

@description('Record rows an erasure round scans per page, saving its place after each (Erasure__ScanPageSize).')
@minValue(1)
@maxValue(1000)
param erasureScanPageSize int = 1000

// Sign-in (SPEC 10): the app validates people's and applications' Entra ID tokens itself, so it is
// told the issuer, the audience and the console's client id; no client secret exists anywhere.
@minLength(1)
@description('The client id of the LeadFunctions app registration (Auth__ClientId): the console starts MSAL with it as a public client (PKCE), and it is the audience of the API\'s tokens. infra/hooks/app-registration.sh makes the registration and sets it (azd env AUTH_CLIENT_ID) before provisioning.')
param authClientId string

@description('The audiences a token may be for, comma-separated (Auth__Audience). Empty: api://<authClientId> and authClientId, what the hook\'s registration uses.')
param authAudience string = ''

@description('The token issuer (Auth__Authority), whose OpenID discovery document names its signing keys. Empty: the Entra ID v2.0 issuer of this subscription\'s tenant.')
param authAuthority string = ''

@description('Sign-in emails of the first admins, comma-separated (Auth__Admins): admins whatever the token or the directory says, so that someone can hand out roles and API keys.')
param authAdmins string = ''

@minValue(1)
@maxValue(1000)
@description('Most instances the app scales out to in a burst (caps the bill).')
param maximumInstanceCount int = 100

@allowed([512, 2048, 4096])
@description('Memory of each instance, in MB.')
param instanceMemoryMB int = 2048

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = 'func-${resourceToken}'
// The login endpoint of the cloud deployed to (not a literal host), and the v2.0 issuer of the tenant.
var defaultAuthority = '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(resourceToken, 7)}'

resource resourceGroup 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: resourceGroup
  params: {
    name: 'id-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: resourceGroup
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: resourceGroup
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  scope: resourceGroup
  params: {
    name: 'kv-${resourceToken}'
    location: location
    tags: tags
  }
}

module serviceBus 'modules/servicebus.bicep' = if (useServiceBus) {
  name: 'servicebus'
  scope: resourceGroup
  params: {
    name: 'sb-${resourceToken}'
    location: location
    tags: tags
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  scope: resourceGroup
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    serviceBusNamespaceName: useServiceBus ? serviceBus!.outputs.name : ''
    keyVaultName: keyVault.outputs.name
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  scope: resourceGroup
  params: {
    name: functionAppName
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    serviceBusNamespaceName: useServiceBus ? serviceBus!.outputs.name : ''
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    appSettings: {
      Leads__DefaultPhoneRegion: defaultPhoneRegion
      Leads__ListPageReadLimit: string(leadsListPageReadLimit)
      Capture__AllowedOrigins: captureAllowedOrigins
      Capture__RateLimitPerMinute: string(captureRateLimitPerMinute)
      Capture__MaxBodyBytes: string(captureMaxBodyBytes)
      Capture__RepeatWindow: captureRepeatWindow
      Capture__ClientAddressHeader: captureClientAddressHeader
      Merges__StaleAfter: mergesStaleAfter
      Ingest__SweepSchedule: ingestSweepSchedule
      Ingest__RecheckAfter: ingestRecheckAfter
      Ingest__RetryAfter: ingestRetryAfter
      Ingest__RelinkAfter: ingestRelinkAfter
      Ingest__MaxAttempts: string(ingestMaxAttempts)
      Events__StorageQueue__Enabled: string(eventsStorageQueue)
      Events__StorageQueue__Payload: eventsStorageQueuePayload
      Events__ServiceBus__Payload: eventsServiceBusPayload
      Events__Webhooks__Payload: eventsWebhookPayload
      Events__SweepSchedule: eventsSweepSchedule
      Events__SweepAfter: eventsSweepAfter
      Events__Webhooks__RetryWindow: eventsWebhookRetryWindow
      Events__Webhooks__FirstRetryAfter: eventsWebhookFirstRetryAfter
      Events__Webhooks__Timeout: eventsWebhookTimeout
      Retention__Schedule: retentionSchedule
      Routing__Schedule: routingSchedule
      Retention__IdempotencyKeys: retentionIdempotencyWindow
      Retention__IdempotencyInFlight: retentionIdempotencyInFlight
      Retention__SentEvents: retentionSentEvents
      Retention__WebhookDeliveries: retentionWebhookDeliveries
      Retention__FinishedMerges: retentionFinishedMerges
      Retention__Imports: retentionImports
      Erasure__SettleAfter: erasureSettleAfter
      Erasure__ScanPageSize: string(erasureScanPageSize)
      DataProtection__KeyVaultUri: keyVault.outputs.uri
      DataProtection__KeyVaultSecret: 'leadfunctions-keyring-kek'
      Auth__Authority: empty(authAuthority) ? defaultAuthority : authAuthority
      Auth__Audience: empty(authAudience) ? 'api://${authClientId},${authClientId}' : authAudience
      Auth__ClientId: authClientId
      Auth__Admins: authAdmins
    }
  }
  // The app starts only once its identity can reach storage and telemetry.
  dependsOn: [roles]
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = resourceGroup.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output SERVICE_API_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = functionApp.outputs.uri
output CAPTURE_URL string = '${functionApp.outputs.uri}/api/capture'
// The console's address: the postprovision hook makes it a redirect URI of the app registration.
output CONSOLE_URL string = '${functionApp.outputs.uri}/api/console'
