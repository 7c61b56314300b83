/**
 * `aims users add|list|set`: accounts from the shell (bootstrapping the first admin, resetting a
 * password, locking someone out) without the web UI. Every change is written to the audit log.
 */
import { parseArgs } from 'node:util';
import { checkEmail } from '../auth/accounts.service.js';
import { hashPassword, passwordProblem } from '../auth/password.js';
import { loadConfig } from '../config/config.js';
import { recordAudit } from '../db/audit.repository.js';
import { type Database, openDatabase } from '../db/connection.js';
import { createUser, DuplicateEmailError, findUserByEmail, listUsers, updateUser } from '../db/users.repository.js';
import type { User } from '../domain/user.js';
import { type Command, EXIT_BAD_INPUT } from './command.js';

const USAGE = `aims users add EMAIL [--admin] [--can-download] [--password-stdin] [--db URL]
aims users list [--json] [--db URL]
aims users set EMAIL [--admin|--user] [--can-download|--no-download] [--active|--inactive] [--password-stdin] [--db URL]

--password-stdin reads the password from standard input (at least 10 characters); without it,
'add' creates an account that signs in with Google or OpenID Connect only.`;

class UsageError extends Error {}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // One trailing newline is how `echo` and here-strings end the line, not part of the password.
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function passwordFromStdin(): Promise<string> {
  const password = await readStdin();
  const problem = passwordProblem(password);
  if (problem) throw new UsageError(problem);
  return hashPassword(password);
}

function describe(user: User): string {
  const traits = [
    user.role,
    user.role === 'admin' || user.can_download ? 'can download' : 'no download',
    user.is_active ? 'active' : 'inactive',
  ];
  return `${user.id}\t${user.email}\t${traits.join(', ')}`;
}

async function withDatabase<T>(db: string | undefined, fn: (database: Database) => Promise<T>): Promise<T> {
  const config = loadConfig(undefined, { databaseUrl: db });
  const database = await openDatabase(config.databaseUrl);
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

async function add(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      admin: { type: 'boolean' },
      'can-download': { type: 'boolean' },
      'password-stdin': { type: 'boolean' },
      db: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('add needs exactly one EMAIL');
  const email = checkEmail(positionals[0] ?? '');
  const passwordHash = values['password-stdin'] ? await passwordFromStdin() : null;
  return withDatabase(values.db, async (database) => {
    try {
      const { user, firstAdmin } = await createUser(database, {
        email,
        passwordHash,
        role: values.admin ? 'admin' : 'user',
        canDownload: values['can-download'] ?? false,
      });
      await recordAudit(database, {
        actorId: null,
        actorEmail: null,
        action: 'user.create',
        target: `user:${user.id}`,
        details: {
          email: user.email,
          role: user.role,
          can_download: user.can_download,
          via: 'cli',
          first_admin: firstAdmin,
        },
      });
      process.stdout.write(
        `created ${describe(user)}${firstAdmin && !values.admin ? ' (first account: admin)' : ''}\n`,
      );
      if (!passwordHash) process.stdout.write('no password set: this account signs in with Google or OpenID Connect\n');
      return 0;
    } catch (error) {
      if (error instanceof DuplicateEmailError) {
        process.stderr.write(`aims users: an account for ${email} exists already\n`);
        return 1;
      }
      throw error;
    }
  });
}

async function list(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, db: { type: 'string' } } });
  return withDatabase(values.db, async (database) => {
    const users = await listUsers(database);
    if (values.json) process.stdout.write(`${JSON.stringify(users)}\n`);
    else {
      process.stdout.write('id\temail\trole, download, status\n');
      for (const user of users) process.stdout.write(`${describe(user)}\n`);
    }
    return 0;
  });
}

async function set(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      admin: { type: 'boolean' },
      user: { type: 'boolean' },
      'can-download': { type: 'boolean' },
      'no-download': { type: 'boolean' },
      active: { type: 'boolean' },
      inactive: { type: 'boolean' },
      'password-stdin': { type: 'boolean' },
      db: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('set needs exactly one EMAIL');
  for (const [a, b] of [
    ['admin', 'user'],
    ['can-download', 'no-download'],
    ['active', 'inactive'],
  ] as const)
    if (values[a] && values[b]) throw new UsageError(`--${a} and --${b} contradict each other`);
  const patch = {
    role: values.admin ? ('admin' as const) : values.user ? ('user' as const) : undefined,
    canDownload: values['can-download'] ? true : values['no-download'] ? false : undefined,
    isActive: values.active ? true : values.inactive ? false : undefined,
    passwordHash: values['password-stdin'] ? await passwordFromStdin() : undefined,
  };
  if (Object.values(patch).every((v) => v === undefined)) throw new UsageError('set needs at least one change');
  return withDatabase(values.db, async (database) => {
    const before = await findUserByEmail(database, positionals[0] ?? '');
    if (!before) {
      process.stderr.write(`aims users: no account for ${positionals[0]}\n`);
      return 1;
    }
    const after = await updateUser(database, before.id, patch);
    if (!after) return 1;
    const changes: Record<string, unknown> = {};
    for (const key of ['role', 'can_download', 'is_active'] as const)
      if (before[key] !== after[key]) changes[key] = { from: before[key], to: after[key] };
    if (patch.passwordHash) changes.password = 'changed';
    await recordAudit(database, {
      actorId: null,
      actorEmail: null,
      action: 'user.update',
      target: `user:${after.id}`,
      details: { email: after.email, changes, via: 'cli' },
    });
    process.stdout.write(`updated ${describe(after)}\n`);
    return 0;
  });
}

export const usersCommand: Command = {
  summary: 'add, list and change accounts (roles, downloads, activation, passwords)',
  usage: USAGE,
  async run(args) {
    const [sub, ...rest] = args;
    try {
      if (sub === 'add') return await add(rest);
      if (sub === 'list') return await list(rest);
      if (sub === 'set') return await set(rest);
      throw new UsageError(sub ? `unknown sub-command '${sub}'` : 'missing sub-command');
    } catch (error) {
      const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
      const account = (error as { name?: string }).name === 'AccountError';
      if (usage || account) {
        process.stderr.write(`aims users: ${(error as Error).message}\n${usage ? `${USAGE}\n` : ''}`);
        return EXIT_BAD_INPUT;
      }
      throw error;
    }
  },
};
