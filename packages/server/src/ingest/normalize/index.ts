export { HeaderView, headerFromEntries } from './header-view.js';
export { KEYWORD_TABLE } from './keyword-table.js';
export { emptyMetadata } from './metadata.js';
export { type NormalizeOptions, normalizeHeaders } from './normalize.js';
