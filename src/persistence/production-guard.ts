import { DataSource, IsNull } from 'typeorm';
import { ConfigError } from '../config/config-error';
import { TerminalEntity } from './entities';

/**
 * What stored rows would make a production switch unsafe, each named so ops can fix it before the
 * switch accepts a terminal. Empty when the rows are fit for production.
 */
export async function productionRowProblems(dataSource: DataSource): Promise<string[]> {
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
  return problems;
}

function listed(ids: readonly string[]): string {
  return ids.length <= 20 ? ids.join(', ') : `${ids.slice(0, 20).join(', ')} and ${ids.length - 20} more`;
}

/** NODE_ENV=production: refuses to start (closing the database) while any stored row is unsafe. */
export async function refuseUnsafeProductionRows(dataSource: DataSource): Promise<void> {
  const problems = await productionRowProblems(dataSource);
  if (problems.length === 0) return;
  await dataSource.destroy();
  throw new ConfigError(problems);
}
