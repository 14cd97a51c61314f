// The vault that holds the key sealing the app's Data Protection key ring (SPEC 4.5): webhook
// secrets and the keyed-hash key are protected by that ring, so a copy of the storage account
// alone opens nothing. RBAC only, purge protection on (a deleted vault is kept 90 days), and the
// app makes the sealing secret itself on first start, so no secret passes through the template.
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
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
