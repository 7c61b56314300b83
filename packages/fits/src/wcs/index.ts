export { type ImageFootprint, imageFootprint } from './footprint.js';
export type { SkyPosition } from './sky-position.js';
export { type Wcs, wcsFromHeader } from './wcs.js';
