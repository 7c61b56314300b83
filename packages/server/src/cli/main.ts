import { backupCommand } from './backup.command.js';
import type { Command } from './command.js';
import { headerCommand } from './header.command.js';
import { ingestCommand } from './ingest.command.js';
import { rescoreCommand } from './rescore.command.js';
import { serveCommand } from './serve.command.js';
import { usersCommand } from './users.command.js';
import { workerCommand } from './worker.command.js';

/** Every `aims` sub-command. Each lives in its own `<name>.command.ts`. */
const commands: Record<string, Command> = {
  backup: backupCommand,
  header: headerCommand,
  ingest: ingestCommand,
  rescore: rescoreCommand,
  serve: serveCommand,
  users: usersCommand,
  worker: workerCommand,
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  aims ${name.padEnd(8)} ${c.summary}`);
  return `AIMS — Astronomy Image Management System\n\nUsage:\n${lines.join('\n')}\n\nRun 'aims <command> --help' for a command's options.\n`;
}

/** Runs the CLI with `argv` (without node and script) and resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 1;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${process.env.npm_package_version ?? '0.1.0'}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`aims: unknown command '${name}'\n${usage()}`);
    return 1;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  return command.run(rest);
}
