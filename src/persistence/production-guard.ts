import { loadSandboxCredentials } from '@switch/alipay';
import { DataSource, IsNull } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { ConfigError } from '../config/config-error';
import { alipayEndpointProblem } from '../config/security-config';
import { MerchantEntity, TerminalEntity } from './entities';
import { SecretBox, sealedIn, secretBoxFor } from './secret-box';
import { SANDBOX_ENDPOINT, StoredCredentials } from './stored-credentials';

/**
 * What stored rows would make a production switch unsafe, each named so ops can fix it before the
 * switch accepts a terminal. Empty when the rows are fit for production.
 */
export async function productionRowProblems(dataSource: DataSource, config: AppConfig): Promise<string[]> {
  const problems: string[] = [];
  // Without a MAC or an allow-list, anyone who reads TID, MID and RRN off a receipt can refund or reverse.
  const unprotected = await dataSource.getRepository(TerminalEntity).find({
    select: { terminalId: true },
    where: { status: 'active', macKeySealed: IsNull(), allowedNetworks: IsNull() },
    order: { terminalId: 'ASC' },
  });
  if (unprotected.length > 0) {
    const ids = unprotected.map((t) => t.terminalId);
    problems.push(
      `${ids.length} active terminal(s) have neither a MAC key nor allowed_networks (security profile): ${listed(ids)}`,
    );
  }
  const merchants = await dataSource.getRepository(MerchantEntity).find({ where: { status: 'active' }, order: { merchantId: 'ASC' } });
  const secrets = secretBoxFor(config.secrets);
  for (const merchant of merchants) {
    const problem = merchantEndpointProblem(merchant.endpoint, config) ?? credentialsProblem(merchant, secrets);
    if (problem) problems.push(`merchant ${merchant.merchantId}: ${problem}`);
  }
  return problems;
}

/** NODE_ENV=production: refuses to start (closing the database) while any stored row is unsafe. */
export async function refuseUnsafeProductionRows(dataSource: DataSource, config: AppConfig): Promise<void> {
  const problems = await productionRowProblems(dataSource, config);
  if (problems.length === 0) return;
  await dataSource.destroy();
  throw new ConfigError(problems);
}

/** Why a merchant's stored endpoint may not be called under this config, or undefined when it may. */
export function merchantEndpointProblem(endpoint: string, config: AppConfig): string | undefined {
  if (endpoint !== SANDBOX_ENDPOINT) return alipayEndpointProblem(endpoint, config.security.alipayEndpointHosts);
  // Production only ever runs an external sandbox (its URL checked at start); outside it, anything goes.
  const production = config.security.alipayEndpointHosts !== undefined;
  return production && config.sandbox.mode !== 'external' ? `endpoint "sandbox" but ALIPAY_SANDBOX is ${config.sandbox.mode}` : undefined;
}

function credentialsProblem(merchant: MerchantEntity, secrets: SecretBox): string | undefined {
  let credentials: StoredCredentials;
  try {
    credentials = JSON.parse(secrets.openText(merchant.credentialsSealed, sealedIn.merchantCredentials(merchant.merchantId))) as StoredCredentials;
  } catch {
    return 'credentials cannot be opened with DATA_ENCRYPTION_KEY';
  }
  const sandbox = loadSandboxCredentials();
  const demoSecrets = new Set<string>(
    [sandbox.ams, sandbox.openapi, sandbox.mapi].flatMap((c) => ['md5Key' in c ? c.md5Key : '', c.merchantPrivateKey]).filter(Boolean),
  );
  const held = [
    'merchantPrivateKey' in credentials ? credentials.merchantPrivateKey : undefined,
    'md5Key' in credentials ? credentials.md5Key : undefined,
  ];
  if (held.some((secret) => secret !== undefined && demoSecrets.has(secret))) return 'credentials are the sandbox demo keys';
  return undefined;
}

function listed(ids: readonly string[]): string {
  return ids.length <= 20 ? ids.join(', ') : `${ids.slice(0, 20).join(', ')} and ${ids.length - 20} more`;
}
