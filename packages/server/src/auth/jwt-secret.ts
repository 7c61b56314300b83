import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/config.js';
import { ensurePrivateDir, tightenFile, type Warn, warnOnStderr } from '../util/private-files.js';

/** HS256 wants a key at least as long as its output (RFC 7518 §3.2): 256 bits. */
export const MIN_JWT_SECRET_BYTES = 32;
export const JWT_SECRET_FILE = 'jwt-secret';

/**
 * `JWT_SECRET` when set; otherwise the secret stored in the data folder, generated on first start
 * (mode 0600) so that sessions survive restarts without any set-up.
 */
export function resolveJwtSecret(jwtSecret: string | undefined, dataDir: string, warn: Warn = warnOnStderr): string {
  if (jwtSecret !== undefined) {
    if (Buffer.byteLength(jwtSecret) < MIN_JWT_SECRET_BYTES)
      throw new ConfigError('JWT_SECRET', `must be at least ${MIN_JWT_SECRET_BYTES} bytes long`);
    return jwtSecret;
  }
  const file = join(dataDir, JWT_SECRET_FILE);
  // A secret written by an earlier version, or copied in with the umask's mode, is tightened.
  tightenFile(file, warn);
  try {
    const stored = readFileSync(file, 'utf8').trim();
    if (Buffer.byteLength(stored) >= MIN_JWT_SECRET_BYTES) return stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  ensurePrivateDir(dataDir, warn);
  const secret = randomBytes(48).toString('base64url');
  try {
    // 'wx': when two processes start at once, the first writer wins and the second reads its secret.
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readFileSync(file, 'utf8').trim();
  }
}
