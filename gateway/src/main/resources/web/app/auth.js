// Sign-in through Keycloak: authorization code flow with PKCE (S256). The tokens live in this page's memory only:
// a reload signs in again through Keycloak's session, and nothing is written to local or session storage.
import Keycloak from 'keycloak-js';

let keycloak;

/** Signs in (redirecting to Keycloak's login page when there is no session) and answers who is signed in. */
export async function signIn() {
  const config = await (await fetch('/dashboard/config.json', { cache: 'no-store' })).json();
  keycloak = new Keycloak({ url: config.authServerUrl, realm: config.realm, clientId: config.clientId });
  await keycloak.init({ onLoad: 'login-required', pkceMethod: 'S256', checkLoginIframe: false, responseMode: 'fragment' });
  // A session that ends while the page is open leads back to the login page, never to a blank screen.
  keycloak.onTokenExpired = () => keycloak.updateToken(30).catch(() => keycloak.login());
  const claims = keycloak.tokenParsed || {};
  const roles = (claims.realm_access && claims.realm_access.roles) || [];
  return { name: claims.preferred_username || claims.sub, workspace: claims.tenant || '', roles };
}

/** A current access token, refreshed when it is about to expire; back to the login page when the session is over. */
export async function token() {
  try {
    await keycloak.updateToken(30);
  } catch (e) {
    await keycloak.login();
    throw new Error('the session has ended');
  }
  return keycloak.token;
}

/** Back to the login page (the token was refused). */
export function signInAgain() {
  return keycloak.login();
}

export function signOut() {
  return keycloak.logout({ redirectUri: window.location.origin + '/' });
}
