import { createServer } from 'node:http';
import type { Config } from './config/config.js';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
  /** Resolves when the server has shut down (SIGINT/SIGTERM or close()). */
  closed: Promise<void>;
}

/**
 * The only place that listens on a port or starts background work. Until the HTTP API lands this
 * serves the health route alone.
 */
export async function startServer(config: Config): Promise<RunningServer> {
  const version = process.env.npm_package_version ?? '0.1.0';
  const server = createServer((req, res) => {
    if (req.url === '/api/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', version }));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'Not Found' }));
  });
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => {
    resolveClosed = r;
  });
  const close = async () => {
    await new Promise<void>((r) => server.close(() => r()));
    resolveClosed();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void close());
  process.stdout.write(`AIMS listening on http://${config.host}:${port}\n`);
  return { url: `http://${config.host}:${port}`, close, closed };
}
