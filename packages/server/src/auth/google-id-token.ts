import { createRemoteJWKSet, errors, type JWTVerifyGetKey, jwtVerify } from 'jose';

/** Where Google publishes the keys that sign its ID tokens. */
export const GOOGLE_JWKS_URL = 'https://www.googleapis.com/oauth2/v3/certs';
/** Google writes either form in `iss`. */
export const GOOGLE_ISSUERS = ['https://accounts.google.com', 'accounts.google.com'];

export interface ExternalIdentity {
  subject: string;
  email: string;
  name: string | null;
}

export class IdTokenError extends Error {
  override readonly name = 'IdTokenError';
}

let googleKeys: JWTVerifyGetKey | undefined;
/** Google's key set, fetched lazily and cached by jose (it honours the key rotation). */
export function googleKeySet(): JWTVerifyGetKey {
  googleKeys ??= createRemoteJWKSet(new URL(GOOGLE_JWKS_URL));
  return googleKeys;
}

/**
 * Verifies a Google ID token: RS256 signature against Google's keys, issuer, audience (our client
 * id), expiry, and a verified e-mail address. Throws IdTokenError with the reason otherwise.
 */
export async function verifyGoogleIdToken(
  token: string,
  options: { clientId: string; keys?: JWTVerifyGetKey; clockToleranceSeconds?: number },
): Promise<ExternalIdentity> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, options.keys ?? googleKeySet(), {
      issuer: GOOGLE_ISSUERS,
      audience: options.clientId,
      algorithms: ['RS256'],
      clockTolerance: options.clockToleranceSeconds ?? 30,
      requiredClaims: ['sub', 'exp', 'iat'],
    }));
  } catch (error) {
    if (error instanceof errors.JOSEError) throw new IdTokenError(`Google ID token rejected: ${error.code}`);
    throw error;
  }
  const email = typeof payload.email === 'string' ? payload.email.trim().toLowerCase() : '';
  if (!email) throw new IdTokenError('Google ID token has no e-mail address');
  // Google sends a boolean; some older tokens carried the string "true".
  if (payload.email_verified !== true && payload.email_verified !== 'true')
    throw new IdTokenError('Google account e-mail address is not verified');
  return {
    subject: String(payload.sub),
    email,
    name: typeof payload.name === 'string' ? payload.name : null,
  };
}
