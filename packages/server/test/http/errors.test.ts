import { describe, expect, it } from 'vitest';
import { AccountError } from '../../src/auth/accounts.service.js';
import { IdTokenError } from '../../src/auth/google-id-token.js';
import { OidcProviderError } from '../../src/auth/oidc.client.js';
import { CatalogError } from '../../src/catalog/errors.js';
import { ImageQueryError } from '../../src/db/image-filters.js';
import { domainHttpError, HttpError } from '../../src/http/errors.js';

describe('domain errors → HTTP', () => {
  it.each([
    [new CatalogError('CATALOG_NOT_FOUND', 'no image 7'), 404, 'no image 7', undefined],
    [new CatalogError('CATALOG_TOO_LARGE', 'narrow it'), 413, 'narrow it', undefined],
    [new ImageQueryError('BAD_FILTER', 'radius', 'needs ra and dec'), 400, 'radius needs ra and dec', 'radius'],
    [
      new AccountError('AUTH_INVALID_CREDENTIALS', 'wrong e-mail or password'),
      401,
      'wrong e-mail or password',
      undefined,
    ],
    [new AccountError('AUTH_ACCOUNT_INACTIVE', 'inactive'), 403, 'inactive', undefined],
    [new AccountError('AUTH_SIGNUP_CLOSED', 'closed'), 403, 'closed', undefined],
    [new AccountError('AUTH_DOMAIN_NOT_ALLOWED', 'domain'), 403, 'domain', undefined],
    [new AccountError('AUTH_EMAIL_TAKEN', 'taken'), 409, 'taken', undefined],
    [
      new AccountError('AUTH_WEAK_PASSWORD', 'password must be at least 10 characters'),
      400,
      'password must be at least 10 characters',
      'password',
    ],
    [
      new AccountError('AUTH_INVALID_EMAIL', 'email must be an e-mail address'),
      400,
      'email must be an e-mail address',
      'email',
    ],
    [new AccountError('AUTH_NO_SUCH_USER', 'no such user'), 404, 'no such user', undefined],
    [new AccountError('AUTH_SELF_LOCKOUT', 'not yourself'), 409, 'not yourself', undefined],
    [
      new IdTokenError('Google ID token rejected: ERR_JWT_EXPIRED'),
      401,
      'Google ID token rejected: ERR_JWT_EXPIRED',
      undefined,
    ],
    [
      new OidcProviderError('the sign-in provider cannot be reached'),
      502,
      'the sign-in provider cannot be reached',
      undefined,
    ],
    [new HttpError(416, 'outside'), 416, 'outside', undefined],
  ])('%s', (error, status, message, parameter) => {
    const http = domainHttpError(error);
    expect(http).toMatchObject({ statusCode: status, message });
    expect(http?.parameter).toBe(parameter);
  });

  it('anything else is not a domain error (answered 500 without internals)', () => {
    expect(domainHttpError(new Error('connection refused'))).toBeNull();
    expect(domainHttpError('text')).toBeNull();
  });
});
