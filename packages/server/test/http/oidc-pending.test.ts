import { describe, expect, it } from 'vitest';
import { safeReturnPath } from '../../src/http/oidc-pending.js';

/** Where a browser would go from https://aims.example after a redirect to `path`. */
function browserTarget(path: string): string {
  return new URL(path, 'https://aims.example/').origin;
}

describe('return paths after sign-in', () => {
  it.each(['/', '/nights', '/images?filter=R&sort=-date_obs', '/images/42#preview', '/%2F%2Fother.example', '/a//b'])(
    'keeps the same-origin path %j',
    (path) => {
      expect(safeReturnPath(path)).toBe(path);
      expect(browserTarget(path)).toBe('https://aims.example');
    },
  );

  it.each([
    undefined,
    '',
    'nights',
    '//other.example/',
    '/\t/other.example/',
    '/\n/other.example/',
    '/\r\n/x',
    '/\\other.example',
    '\\/other.example',
    '/x\\y',
    'https://other.example/',
    'javascript:alert(1)',
    '/ space',
    '/caf\u00e9',
    '/\u0000',
    '/\u007f',
  ])('sends %j to /', (path) => {
    expect(safeReturnPath(path)).toBe('/');
  });
});
