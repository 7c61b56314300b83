export { headerFromEntries, HeaderView } from './header-view.js';
export { KEYWORD_TABLE } from './keyword-table.js';
export { type NormalizeOptions, normalizeHeaders } from './normalize.js';
