/**
 * At start, every active merchant's credentials are opened and its channel built, which parses its keys:
 * a key that was pasted wrongly, sealed under another DATA_ENCRYPTION_KEY or left empty is found before a
 * terminal's purchase finds it. The bad merchants are named (never their keys); the caller decides
 * whether that stops the start (REQUIRE_VALID_CREDENTIALS).
 */
import { MerchantEntity } from '../../persistence/entities';
import type { MerchantCatalog } from '../../persistence/merchant-catalog';
import type { UnitOfWork } from '../../persistence/unit-of-work';

export interface BadCredentials {
  merchantId: string;
  /** The error's class and message; key parsers never put key material in them. */
  problem: string;
}

export async function findBadCredentials(
  uow: UnitOfWork,
  catalog: MerchantCatalog,
): Promise<BadCredentials[]> {
  const merchants = await uow.read((m) =>
    m.find(MerchantEntity, {
      select: { merchantId: true },
      where: { status: 'active' },
      order: { merchantId: 'ASC' },
    }),
  );
  const bad: BadCredentials[] = [];
  for (const { merchantId } of merchants) {
    catalog.forget(merchantId);
    try {
      // Building the route parses the merchant's keys; no route means its endpoint was refused.
      if (!(await catalog.route(merchantId, 'STARTUP0'))) throw new Error('no route: its Alipay endpoint is refused');
    } catch (err) {
      bad.push({ merchantId, problem: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
    } finally {
      catalog.forget(merchantId);
    }
  }
  return bad;
}

export class BadCredentialsError extends Error {
  constructor(readonly merchants: readonly BadCredentials[]) {
    super(
      `credentials of ${merchants.length} active merchant(s) do not load: ${merchants
        .map((b) => `${b.merchantId} (${b.problem})`)
        .join('; ')}; fix them or suspend the merchant (REQUIRE_VALID_CREDENTIALS=false starts anyway)`,
    );
    this.name = 'BadCredentialsError';
  }
}
