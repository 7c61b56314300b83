import { errors, jwtVerify, SignJWT } from 'jose';

/** Sessions are short: a stolen cookie or bearer JWT is worth little for long. */
export const SESSION_TTL_SECONDS = 2 * 60 * 60;
/** A browser session is re-issued once it is this old, so an active user is never cut off. */
export const SESSION_RENEW_AFTER_SECONDS = 30 * 60;

const ISSUER = 'aims';
const AUDIENCE = 'aims-api';

export interface SessionClaims {
  userId: number;
  /** The server-side session (db/sessions.repository.ts) this token belongs to. */
  sessionId: string;
  issuedAt: number;
  expiresAt: number;
}

export class SessionTokens {
  readonly #key: Uint8Array;

  constructor(
    secret: string,
    readonly ttlSeconds = SESSION_TTL_SECONDS,
  ) {
    this.#key = new TextEncoder().encode(secret);
  }

  async sign(userId: number, sessionId: string, now = Math.floor(Date.now() / 1000)): Promise<string> {
    return new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(String(userId))
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + this.ttlSeconds)
      .sign(this.#key);
  }

  /** The claims of a valid, unexpired session token, or null (never throws for a bad token). */
  async verify(token: string): Promise<SessionClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.#key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
      });
      const userId = Number(payload.sub);
      if (!Number.isSafeInteger(userId) || userId <= 0) return null;
      // Tokens from before server-side sessions carry no sid: they cannot be signed out, so refuse them.
      const sessionId = payload.sid;
      if (typeof sessionId !== 'string' || sessionId === '') return null;
      return { userId, sessionId, issuedAt: payload.iat ?? 0, expiresAt: payload.exp ?? 0 };
    } catch (error) {
      if (error instanceof errors.JOSEError) return null;
      throw error;
    }
  }
}
