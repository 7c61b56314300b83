export { main } from './cli/main.js';
export { type Config, loadConfig } from './config/config.js';
export { startServer } from './main.js';
