/**
 * `npm run admin -- <command>`: the API-key and audit chores from a shell, straight against the database
 * DATABASE_URL (or SQLITE_PATH) names, for when no key exists yet or the HTTP API is out of reach.
 * Writes are audited like the API's, as `cli:<os user>`.
 */
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/app-config';
import { openDatabase } from '../../persistence/data-source';
import { saveSqliteFile } from '../../persistence/sqlite-file';
import { UnitOfWork } from '../../persistence/unit-of-work';
import { AuditTrail } from '../audit/audit-trail';
import { AdminProblem } from '../http/problem';
import { ApiKeyStore } from '../keys/api-key-store';
import { ADMIN_ROLES, isAdminRole, type AdminActor } from '../keys/roles';

export const ADMIN_CLI_USAGE = `usage: npm run admin -- <command> [options]
  create-key --name <name> --role <${ADMIN_ROLES.join('|')}> --reason <why>   prints the new key (shown once)
  list-keys                                                       names, roles, creation, last use
  revoke-key --id <key id> --reason <why>
  audit [--limit <n>]                                             the newest audit entries`;

/** Runs one command; resolves with the exit code. */
export async function runAdminCli(
  argv: string[],
  env: Record<string, string | undefined>,
  out: (line: string) => void,
): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, role: { type: 'string' }, reason: { type: 'string' }, id: { type: 'string' }, limit: { type: 'string' } },
  });
  const command = positionals[0];
  if (!['create-key', 'list-keys', 'revoke-key', 'audit'].includes(command ?? '')) {
    out(ADMIN_CLI_USAGE);
    return 64; // EX_USAGE
  }
  const config = loadConfig(env);
  const dataSource = await openDatabase(config.database);
  const uow = new UnitOfWork(dataSource);
  const audit = new AuditTrail(uow);
  const keys = new ApiKeyStore(uow, audit);
  const actor = (): AdminActor => {
    if (!values.reason?.trim()) throw new AdminProblem(400, '--reason is required for a write');
    return { name: `cli:${userInfo().username}`.slice(0, 64), role: 'admin', requestId: `cli-${randomUUID()}`, reason: values.reason.trim() };
  };
  try {
    switch (command) {
      case 'create-key': {
        if (!values.name || !isAdminRole(values.role)) throw new AdminProblem(400, `--name and --role (${ADMIN_ROLES.join(', ')}) are required`);
        const created = await keys.create(values.name, values.role, actor());
        out(JSON.stringify({ ...created, note: 'the key is shown this once; store it now' }, null, 2));
        return 0;
      }
      case 'list-keys':
        out(JSON.stringify((await keys.list(200, undefined)).items, null, 2));
        return 0;
      case 'revoke-key':
        if (!values.id) throw new AdminProblem(400, '--id is required');
        out(JSON.stringify(await keys.revoke(values.id, actor()), null, 2));
        return 0;
      case 'audit':
        out(JSON.stringify((await audit.list({}, Math.min(Number(values.limit ?? 20) || 20, 200), undefined)).items, null, 2));
        return 0;
      default:
        return 64;
    }
  } catch (err) {
    if (!(err instanceof AdminProblem)) throw err;
    out(`error: ${err.detail}`);
    return err.status === 400 ? 64 : 1;
  } finally {
    await saveSqliteFile(dataSource);
    await dataSource.destroy();
  }
}
