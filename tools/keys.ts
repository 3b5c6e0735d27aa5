/**
 * `npm run keys`: prints fresh PAYMENT_CODE_HASH_KEY and DATA_ENCRYPTION_KEY lines.
 * `npm run keys -- reseal`: re-seals every sealed column from OLD_DATA_ENCRYPTION_KEY to DATA_ENCRYPTION_KEY
 * in the database the environment names (DATABASE_URL or SQLITE_PATH); run it with the switch stopped.
 * `npm run keys -- rsa [--out DIR] [--name NAME]`: an RSA-2048 key pair for an Alipay merchant, written as
 * DIR/NAME-private.pem (0600, never overwritten) and DIR/NAME-public.pem, or printed when --out is absent;
 * the public key is also printed as the bare base64 line Alipay's console takes. docs/operations.md, "Keys".
 */
import { loadConfig } from '../src/config/app-config';
import { openDatabase } from '../src/persistence/data-source';
import { SecretBox } from '../src/persistence/secret-box';
import { UnitOfWork } from '../src/persistence/unit-of-work';
import { resealAll } from '../src/operations/keys/reseal';
import { rsaPair, switchKeyLines, writeRsaPair } from './keys/generate-keys';

const USAGE = 'usage: npm run keys [-- rsa [--out DIR] [--name NAME] | reseal]';

export async function runKeysCli(
  args: string[],
  out: (line: string) => void,
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined) {
    for (const line of switchKeyLines()) out(line);
    return 0;
  }
  if (command === 'reseal' && rest.length === 0) return reseal(env, out);
  if (command !== 'rsa') {
    out(USAGE);
    return 64;
  }
  const options = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i], rest[i + 1]];
    if ((flag !== '--out' && flag !== '--name') || value === undefined) {
      out(USAGE);
      return 64;
    }
    options.set(flag, value);
  }
  const pair = rsaPair();
  const dir = options.get('--out');
  if (dir === undefined) {
    out(pair.privateKeyPem.trimEnd());
    out(pair.publicKeyPem.trimEnd());
  } else {
    const written = await writeRsaPair(dir, options.get('--name') ?? 'merchant', pair);
    out(`private key: ${written.privatePath} (keep it secret; it goes into the merchant's credentials)`);
    out(`public key:  ${written.publicPath}`);
  }
  out(`public key for Alipay's console: ${pair.publicKeyBase64}`);
  return 0;
}

async function reseal(env: Record<string, string | undefined>, out: (line: string) => void): Promise<number> {
  const oldHex = env.OLD_DATA_ENCRYPTION_KEY?.trim() ?? '';
  if (!/^[0-9a-fA-F]{64}$/.test(oldHex)) {
    out(
      'OLD_DATA_ENCRYPTION_KEY must be the current key (64 hex characters); DATA_ENCRYPTION_KEY the new one',
    );
    return 64;
  }
  const config = loadConfig(env);
  const dataSource = await openDatabase(config.database);
  try {
    const counts = await resealAll(
      dataSource,
      new UnitOfWork(dataSource),
      new SecretBox(Buffer.from(oldHex, 'hex')),
      new SecretBox(config.secrets.dataEncryptionKey),
    );
    for (const c of counts)
      out(`${c.table}.${c.column}: ${c.resealed} re-sealed, ${c.alreadyNew} already under the new key`);
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  runKeysCli(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`keys: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
