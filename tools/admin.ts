/** `npm run admin -- <command>`: see src/admin/cli/admin-cli.ts (run without a command for the usage). */
import { ConfigError } from '../src/config/config-error';
import { runAdminCli } from '../src/admin/cli/admin-cli';

runAdminCli(process.argv.slice(2), process.env, (line) => process.stdout.write(`${line}\n`)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(err instanceof ConfigError ? 78 : 1);
  },
);
