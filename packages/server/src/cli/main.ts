import type { Command } from './command.js';

/**
 * Every `aims` sub-command, each in its own `<name>.command.ts`, loaded only when it runs: the
 * HTTP server's modules took half of `aims ingest`'s start-up, which a batch of a few frames pays
 * in full.
 */
const commands: Record<string, () => Promise<Command>> = {
  backup: async () => (await import('./backup.command.js')).backupCommand,
  header: async () => (await import('./header.command.js')).headerCommand,
  ingest: async () => (await import('./ingest.command.js')).ingestCommand,
  'migrate-catalog': async () => (await import('./migrate-catalog.command.js')).migrateCatalogCommand,
  rescore: async () => (await import('./rescore.command.js')).rescoreCommand,
  serve: async () => (await import('./serve.command.js')).serveCommand,
  users: async () => (await import('./users.command.js')).usersCommand,
  verify: async () => (await import('./verify.command.js')).verifyCommand,
  worker: async () => (await import('./worker.command.js')).workerCommand,
};

async function usage(): Promise<string> {
  const lines = await Promise.all(
    Object.entries(commands).map(async ([name, load]) => `  aims ${name.padEnd(15)} ${(await load()).summary}`),
  );
  return `AIMS — Astronomy Image Management System\n\nUsage:\n${lines.join('\n')}\n\nRun 'aims <command> --help' for a command's options.\n`;
}

/** Runs the CLI with `argv` (without node and script) and resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(await usage());
    return name ? 0 : 1;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${process.env.npm_package_version ?? '0.1.0'}\n`);
    return 0;
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    process.stderr.write(`aims: unknown command '${name}'\n${await usage()}`);
    return 1;
  }
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  return command.run(rest);
}
