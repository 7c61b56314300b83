import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.js';
import { startServer } from '../main.js';
import type { Command } from './command.js';

export const serveCommand: Command = {
  summary: 'run the whole system in one process: API, web UI, watcher and ingest workers',
  usage: 'aims serve [--host H] [--port P] [--db URL] [--images DIR]…',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        db: { type: 'string' },
        images: { type: 'string', multiple: true },
      },
    });
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
      process.stderr.write(`aims serve: --port must be a port number, got '${values.port}'\n`);
      return 2;
    }
    const config = loadConfig(undefined, { host: values.host, port, databaseUrl: values.db, imageDirs: values.images });
    const server = await startServer(config);
    await server.closed;
    return 0;
  },
};
