// Who the console works as (SPEC 10): a person signed in with MSAL.js (authorization code with
// PKCE, a public client, no secret), or an API key typed in for machines and scripts. Tokens and
// keys stay in this tab's session storage and go in a header, never in a URL.
const keyName = 'leadfunctions.credential';

/** The console's own address, without its #/page: where the sign-in comes back to. */
const consoleUrl = () => location.origin + location.pathname;

let settings = { enabled: false };
let client;
let account = null;

export const apiKey = () => sessionStorage.getItem(keyName);
export const setApiKey = (value) => sessionStorage.setItem(keyName, value);
const clearApiKey = () => sessionStorage.removeItem(keyName);

/** True when sign-in with a person's account is set up here (console/auth.json). */
export const canSignIn = () => settings.enabled === true;

/** Signed in, as a person or with a key. */
export const signedIn = () => Boolean(apiKey() || account);

/**
 * Reads the settings, starts MSAL and finishes a sign-in that has just come back from the
 * authority (the code in the address). Throws what went wrong there, for the start page to show.
 */
export async function start() {
  const answer = await fetch(new URL('console/auth.json', new URL('.', location.href)), { cache: 'no-store' });
  if (!answer.ok) throw new Error(`The console's sign-in settings could not be read (${answer.status}).`);
  settings = await answer.json();
  if (!canSignIn()) return;
  if (!window.msal) throw new Error('The sign-in library did not load.');
  const config = {
    auth: {
      clientId: settings.clientId,
      authority: settings.authority,
      knownAuthorities: settings.knownAuthorities,
      redirectUri: consoleUrl(),
      postLogoutRedirectUri: consoleUrl(),
    },
    cache: { cacheLocation: 'sessionStorage' },
  };
  // Entra ID speaks MSAL's own dialect (the default); any other authority, such as the local host's
  // development provider, plain OpenID Connect.
  if (settings.protocolMode === 'OIDC') config.system = { protocolMode: msal.ProtocolMode.OIDC };
  client = new msal.PublicClientApplication(config);
  try {
    await client.initialize();
    const result = await client.handleRedirectPromise();
    if (result?.account) client.setActiveAccount(result.account);
  } finally {
    account = client.getActiveAccount() ?? client.getAllAccounts()[0] ?? null;
  }
}

/** Leaves for the authority's sign-in page; the console comes back to the page it was on. */
export async function signIn() {
  await client.loginRedirect({ scopes: [settings.scope] });
}

/** The Authorization header's credential: the key, or a fresh access token (a redirect to sign in again when there is none). */
export async function credential() {
  if (apiKey()) return apiKey();
  if (!account) return null;
  const request = { scopes: [settings.scope], account };
  try {
    // The cache and the refresh token only: a hidden frame could not load the console's page, which refuses framing.
    return (await client.acquireTokenSilent({ ...request, cacheLookupPolicy: msal.CacheLookupPolicy.AccessTokenAndRefreshToken })).accessToken;
  } catch (error) {
    if (isNetworkError(error)) throw new Error(`The sign-in service at ${settings.authority} did not answer: ${error.message}`);
    await client.acquireTokenRedirect(request);
    // The page is leaving: nothing after this is shown.
    return new Promise(() => {});
  }
}

const isNetworkError = (error) => /network|post_request_failed|get_request_failed|no_network/i.test(error?.errorCode ?? '');

/** Forgets a credential the API refused (a revoked key, a token of a restarted local provider), without leaving the page. */
export async function forget() {
  clearApiKey();
  if (client && account) await client.clearCache({ account });
  account = null;
}

/** Signs out: a key is forgotten; a person also signs out at the authority, which sends them back here. */
export async function signOut() {
  if (apiKey() || !account) {
    clearApiKey();
    return false;
  }
  const leaving = account;
  account = null;
  await client.logoutRedirect({ account: leaving, postLogoutRedirectUri: consoleUrl() });
  return true;
}

/** For error messages: where people sign in. */
export const authority = () => settings.authority;
