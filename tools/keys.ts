/**
 * `npm run keys`: prints fresh PAYMENT_CODE_HASH_KEY and DATA_ENCRYPTION_KEY lines.
 * `npm run keys -- rsa [--out DIR] [--name NAME]`: an RSA-2048 key pair for an Alipay merchant, written as
 * DIR/NAME-private.pem (0600, never overwritten) and DIR/NAME-public.pem, or printed when --out is absent;
 * the public key is also printed as the bare base64 line Alipay's console takes. docs/operations.md, "Keys".
 */
import { rsaPair, switchKeyLines, writeRsaPair } from './keys/generate-keys';

const USAGE = 'usage: npm run keys [-- rsa [--out DIR] [--name NAME]]';

export async function runKeysCli(args: string[], out: (line: string) => void): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined) {
    for (const line of switchKeyLines()) out(line);
    return 0;
  }
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

if (require.main === module) {
  runKeysCli(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`keys: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
