export * from './constants.js';
export * from './errors.js';
export type * from './types.js';
export * from './write.js';
export * from './image.js';
export * from './inflate.js';
export * from './card.js';
export * from './header.js';
export * from './angles.js';
