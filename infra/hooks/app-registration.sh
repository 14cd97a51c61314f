#!/bin/sh
# azd hook (azure.yaml): the Microsoft Entra ID app registration people sign in through (SPEC 10).
#
#   preprovision   makes the registration "LeadFunctions (<environment>)" in the Azure CLI's tenant,
#                  or finds it again (by AUTH_CLIENT_ID, else by that name), and brings it to shape:
#                  single tenant, application ID URI api://<client id>, v2.0 access tokens, the
#                  delegated scope access_as_user, the app roles sales, manager and admin (for people
#                  and applications), the Azure CLI pre-authorized for that scope (so that an admin
#                  can get a token for scripts), and its enterprise application (service principal),
#                  where roles are assigned. Then `azd env set AUTH_CLIENT_ID`, which infra/main.parameters.json
#                  hands to the template (Auth__ClientId, Auth__Audience), and AUTH_ADMINS to the
#                  signed-in user when it is empty, so that the person deploying is the first admin.
#   postprovision  adds the console's address (CONSOLE_URL, an output of infra/main.bicep; known only
#                  once the app exists) to the registration's single-page-application redirect URIs.
#
# Run it again at will: what is already in shape is left alone, nothing is made twice. No client
# secret is made or read: the console is a public client (authorization code with PKCE) and the API
# only validates tokens. AUTH_APP_REGISTRATION=given skips all of it, for a registration you manage
# yourself (then set AUTH_CLIENT_ID, and AUTH_AUDIENCE when its application ID URI is not
# api://<client id>). Needs the Azure CLI signed in to the subscription's tenant (az login), with
# the right to register applications there.
set -eu

step=${1:?"usage: app-registration.sh preprovision|postprovision"}

# The same ids on every run: Entra refuses to change or drop an enabled role or scope in place.
SCOPE_ID=2f10dac6-038c-445c-9485-6df2ec5fe99b
SALES_ROLE_ID=7c7867d0-1067-4710-8c9c-25a58555a38f
MANAGER_ROLE_ID=9dff0ec1-2735-4c8b-a787-0c1606118fde
ADMIN_ROLE_ID=e6be6c1a-4884-46d1-bd0e-2c6594003a5e
# The Azure CLI's public client id (the same in every tenant): pre-authorized for access_as_user, so
# that an admin gets a token for curl with az account get-access-token without a consent prompt.
AZURE_CLI_CLIENT_ID=04b07795-8ddb-461a-bbee-02f9e1bf7b46

say() { printf 'app-registration: %s\n' "$*" >&2; }
fail() { say "$*"; exit 1; }

# A value of the azd environment: azd hands them to hooks as variables; fall back to asking azd.
env_value() {
  eval "value=\${$1:-}"
  if [ -z "$value" ]; then
    value=$(azd env get-value "$1" 2>/dev/null) || value=""
  fi
  printf '%s' "$value"
}

if [ "$(env_value AUTH_APP_REGISTRATION)" = "given" ]; then
  say "AUTH_APP_REGISTRATION=given: the registration is yours to manage; nothing to do."
  exit 0
fi

command -v az >/dev/null 2>&1 || fail "the Azure CLI (az) is needed to make the app registration; install it, or set AUTH_APP_REGISTRATION=given and AUTH_CLIENT_ID."
az account show >/dev/null 2>&1 || fail "the Azure CLI is not signed in: run az login (the tenant of the subscription azd deploys to)."

graph=$(az cloud show --query endpoints.microsoftGraphResourceId -o tsv)
graph=${graph%/}/v1.0
client_id=$(env_value AUTH_CLIENT_ID)
name=$(env_value AUTH_APP_NAME)
[ -n "$name" ] || name="LeadFunctions ($(env_value AZURE_ENV_NAME))"

find_registration() {
  if [ -n "$client_id" ]; then
    az ad app show --id "$client_id" --query appId -o tsv 2>/dev/null \
      || fail "AUTH_CLIENT_ID is $client_id, but the Azure CLI's tenant has no such registration: az login to the right tenant, or azd env set AUTH_CLIENT_ID \"\" to make a new one."
  else
    # The environment may have been made again on another machine: find the registration by its name before making a second one.
    az ad app list --display-name "$name" --query "[0].appId" -o tsv
  fi
}

patch_application() { # $1: the application's object id, $2: the JSON to merge into it
  az rest --method PATCH --uri "$graph/applications/$1" --headers "Content-Type=application/json" --body "$2" --output none
}

preprovision() {
  subscription=$(env_value AZURE_SUBSCRIPTION_ID)
  if [ -n "$subscription" ]; then
    wanted=$(az account show --subscription "$subscription" --query tenantId -o tsv 2>/dev/null || true)
    current=$(az account show --query tenantId -o tsv)
    [ -z "$wanted" ] || [ "$wanted" = "$current" ] \
      || fail "the Azure CLI is signed in to tenant $current, but the subscription is in $wanted: run az login --tenant $wanted (the app validates tokens of the subscription's tenant)."
  fi

  client_id=$(find_registration)
  if [ -z "$client_id" ]; then
    say "making the app registration \"$name\""
    client_id=$(az ad app create --display-name "$name" --sign-in-audience AzureADMyOrg --query appId -o tsv)
  else
    say "bringing the app registration $client_id up to date"
  fi
  object_id=$(az ad app show --id "$client_id" --query id -o tsv)

  # The exposed API: api://<client id>, v2.0 tokens (issuer .../v2.0, as Auth:Authority expects), and the console's scope.
  az ad app update --id "$client_id" --identifier-uris "api://$client_id" --output none
  scopes=$(az ad app show --id "$client_id" --query 'length(api.oauth2PermissionScopes || `[]`)' -o tsv)
  has_scope=$(az ad app show --id "$client_id" --query "length((api.oauth2PermissionScopes || \`[]\`)[?value=='access_as_user'])" -o tsv)
  if [ "$has_scope" = "0" ] && [ "$scopes" != "0" ]; then
    fail "the registration exposes other scopes but not access_as_user: add it in the Entra admin center (Expose an API), then run azd provision again."
  fi
  if [ "$has_scope" = "0" ]; then
    patch_application "$object_id" '{"api":{"requestedAccessTokenVersion":2,"oauth2PermissionScopes":[{
      "id":"'"$SCOPE_ID"'","value":"access_as_user","type":"User","isEnabled":true,
      "adminConsentDisplayName":"Use LeadFunctions as the signed-in person",
      "adminConsentDescription":"Lets the LeadFunctions sales console call the LeadFunctions API as the signed-in person, with the role they are given.",
      "userConsentDisplayName":"Use LeadFunctions as you",
      "userConsentDescription":"Lets the LeadFunctions sales console call the LeadFunctions API as you."}]}}'
  else
    patch_application "$object_id" '{"api":{"requestedAccessTokenVersion":2}}'
  fi

  # Pre-authorized only into an empty list: a list someone curated is theirs (the CLI then asks for consent).
  preauthorized=$(az ad app show --id "$client_id" --query 'length(api.preAuthorizedApplications || `[]`)' -o tsv)
  if [ "$preauthorized" = "0" ]; then
    scope_id=$(az ad app show --id "$client_id" --query "(api.oauth2PermissionScopes || \`[]\`)[?value=='access_as_user'].id | [0]" -o tsv)
    patch_application "$object_id" '{"api":{"preAuthorizedApplications":[{"appId":"'"$AZURE_CLI_CLIENT_ID"'","delegatedPermissionIds":["'"$scope_id"'"]}]}}'
  fi

  # The app roles: for people (Users and groups) and for applications (client credentials).
  roles=$(az ad app show --id "$client_id" --query 'length(appRoles || `[]`)' -o tsv)
  ours=$(az ad app show --id "$client_id" --query "length((appRoles || \`[]\`)[?value=='sales' || value=='manager' || value=='admin'])" -o tsv)
  if [ "$roles" = "0" ]; then
    patch_application "$object_id" '{"appRoles":[
      {"id":"'"$SALES_ROLE_ID"'","value":"sales","displayName":"Sales","isEnabled":true,"allowedMemberTypes":["User","Application"],
       "description":"Reads and works records: create, change, notes, lose, win, restore, similar records, convert one, merge, undo their own merges."},
      {"id":"'"$MANAGER_ROLE_ID"'","value":"manager","displayName":"Manager","isEnabled":true,"allowedMemberTypes":["User","Application"],
       "description":"Sales, and bulk conversion, imports, teams, salespeople, customers, any undo."},
      {"id":"'"$ADMIN_ROLE_ID"'","value":"admin","displayName":"Admin","isEnabled":true,"allowedMemberTypes":["User","Application"],
       "description":"Manager, and settings, webhooks, erasures and API keys."}]}'
  elif [ "$ours" != "3" ]; then
    fail "the registration has app roles but not all of sales, manager and admin: add the missing ones in the Entra admin center (App roles), then run azd provision again."
  fi

  # The enterprise application: where people and applications are given their roles.
  az ad sp show --id "$client_id" --query id -o tsv >/dev/null 2>&1 || az ad sp create --id "$client_id" --output none

  azd env set AUTH_CLIENT_ID "$client_id"
  say "AUTH_CLIENT_ID=$client_id (Auth__ClientId; Auth__Audience is api://$client_id,$client_id unless AUTH_AUDIENCE says otherwise)"

  if [ -z "$(env_value AUTH_ADMINS)" ]; then
    # A person signed in to the CLI (not a service principal in CI) becomes the first admin.
    me=$(az ad signed-in-user show --query userPrincipalName -o tsv 2>/dev/null || true)
    if [ -n "$me" ]; then
      azd env set AUTH_ADMINS "$me"
      say "AUTH_ADMINS=$me: you are the first admin (change it with azd env set AUTH_ADMINS and azd provision)."
    fi
  fi
}

postprovision() {
  console=$(env_value CONSOLE_URL)
  [ -n "$console" ] || fail "CONSOLE_URL is not set: it is an output of infra/main.bicep, known once azd provision has run."
  client_id=$(find_registration)
  [ -n "$client_id" ] || fail "no app registration: run azd provision again, so that the preprovision step makes it."
  object_id=$(az ad app show --id "$client_id" --query id -o tsv)

  present=$(az ad app show --id "$client_id" --query "length((spa.redirectUris || \`[]\`)[?@=='$console'])" -o tsv)
  if [ "$present" != "0" ]; then
    say "the console's redirect URI $console is already there"
    return
  fi
  # Keep the redirect URIs already there (another environment's console, a local one) beside the new one.
  uris=$(az ad app show --id "$client_id" --query "spa.redirectUris" -o tsv | while IFS= read -r uri; do
    [ -z "$uri" ] || printf '"%s",' "$uri"
  done)
  patch_application "$object_id" '{"spa":{"redirectUris":['"$uris"'"'"$console"'"]}}'
  say "added the console's redirect URI $console"
}

case "$step" in
  preprovision) preprovision ;;
  postprovision) postprovision ;;
  *) fail "unknown step $step: preprovision or postprovision" ;;
esac
