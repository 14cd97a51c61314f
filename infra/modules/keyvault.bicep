// The vault that holds the key sealing the app's Data Protection key ring (SPEC 4.5): webhook
// secrets and the keyed-hash key are protected by that ring, so a copy of the storage account
// alone opens nothing. RBAC only; soft delete keeps a deleted vault (and its secret) 90 days.
// Purge protection stays off: its name is fixed per azd environment, and a vault that cannot be
// purged would make every `azd up` after `azd down` fail for 90 days. The app makes the sealing
// secret itself on first start, so no secret passes through the template.
param name string
param location string
param tags object

resource vault 'Microsoft.KeyVault/vaults@2026-02-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    publicNetworkAccess: 'Enabled'
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
