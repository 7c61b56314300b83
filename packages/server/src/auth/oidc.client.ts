import * as client from 'openid-client';
import type { ExternalIdentity } from './google-id-token.js';
import { IdTokenError } from './google-id-token.js';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string | undefined;
}

/** What the browser must bring back to the callback, kept in a short-lived signed cookie. */
export interface OidcPending {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Where the provider sends the browser back: `…/api/auth/oidc/callback`. */
  redirectUrl: string;
}

/** The provider cannot be reached or its discovery document is unusable. */
export class OidcProviderError extends Error {
  override readonly name = 'OidcProviderError';
}

function isLoopback(url: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/**
 * Authorization code flow with PKCE (S256), state and nonce against any OpenID Connect provider,
 * configured from its discovery document (fetched once, on first use).
 */
export class OidcClient {
  #configuration: Promise<client.Configuration> | undefined;

  constructor(readonly settings: OidcSettings) {}

  configuration(): Promise<client.Configuration> {
    if (!this.#configuration) {
      const issuer = new URL(this.settings.issuer);
      this.#configuration = client
        .discovery(
          issuer,
          this.settings.clientId,
          this.settings.clientSecret,
          this.settings.clientSecret ? undefined : client.None(),
          // Plain HTTP only for a provider on this machine (development and the tests).
          isLoopback(issuer) ? { execute: [client.allowInsecureRequests] } : undefined,
        )
        .catch((error: unknown) => {
          this.#configuration = undefined; // try the discovery again next time
          throw error;
        });
    }
    return this.#configuration;
  }

  /**
   * The provider URL to send the browser to, and what to remember until the callback.
   * OidcProviderError (with the cause) when the provider's discovery fails.
   */
  async start(redirectUrl: string): Promise<{ url: URL; pending: OidcPending }> {
    const configuration = await this.configuration().catch((error: unknown) => {
      throw new OidcProviderError('the sign-in provider cannot be reached', { cause: error });
    });
    const codeVerifier = client.randomPKCECodeVerifier();
    const pending: OidcPending = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier,
      redirectUrl,
    };
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: redirectUrl,
      scope: 'openid email profile',
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url, pending };
  }

  /**
   * Exchanges the code for tokens and returns who signed in (a verified e-mail required).
   * `callbackQuery` is the query string the provider sent the browser back with. Every failure is
   * an IdTokenError: openid-client's errors say what failed (state mismatch, bad ID token, token
   * endpoint errors); they describe the exchange, not our internals.
   */
  async finish(callbackQuery: string, pending: OidcPending): Promise<ExternalIdentity> {
    try {
      return await this.exchange(callbackQuery, pending);
    } catch (error) {
      throw new IdTokenError(`sign-in failed: ${(error as Error).message}`, { cause: error });
    }
  }

  private async exchange(callbackQuery: string, pending: OidcPending): Promise<ExternalIdentity> {
    const configuration = await this.configuration();
    // The redirect URI we registered, not the URL as seen behind a proxy: the provider compares them.
    const callbackUrl = new URL(pending.redirectUrl);
    callbackUrl.search = callbackQuery;
    const tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new IdTokenError('the provider returned no ID token');
    let email = typeof claims.email === 'string' ? claims.email : undefined;
    let verified = claims.email_verified;
    let name = typeof claims.name === 'string' ? claims.name : null;
    if (!email) {
      // Many providers put the e-mail in the userinfo response only.
      const info = await client.fetchUserInfo(configuration, tokens.access_token, claims.sub);
      email = typeof info.email === 'string' ? info.email : undefined;
      verified = info.email_verified;
      name ??= typeof info.name === 'string' ? info.name : null;
    }
    if (!email) throw new IdTokenError('the provider did not share an e-mail address');
    if (verified !== true) throw new IdTokenError('the e-mail address is not verified by the provider');
    return {
      subject: `${configuration.serverMetadata().issuer}|${claims.sub}`,
      email: email.trim().toLowerCase(),
      name,
    };
  }
}
