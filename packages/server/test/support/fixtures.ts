/** The shared FITS fixtures for this package's tests (one definition for every package). */
export * from '../../../../scripts/vitest.shared-data.js';
