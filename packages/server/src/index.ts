export { main } from './cli/main.js';
export { loadConfig, type Config } from './config/config.js';
export { startServer } from './main.js';
