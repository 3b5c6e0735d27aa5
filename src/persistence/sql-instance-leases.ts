/** The instance_leases table and the owner columns of payments and refunds, in SQL both MariaDB and SQLite read. */
import type { InstanceLeases } from '../payments/application/ports';
import type { Payment } from '../payments/domain/payment';
import type { Refund } from '../payments/domain/refund';
import { PAYMENTS, REFUNDS } from './repositories/record-tables';
import { selectRecords } from './sql/select-records';
import { sql, type SqlSession } from './sql/sql-session';
import { utcText } from './sql/sql-values';

const UNFINISHED =
  "(`state` IN ('RECEIVED', 'AWAITING_ALIPAY', 'CANCEL_REQUESTED') OR (`state` = 'APPROVED' AND `delivery` <> 'delivered'))";
// Ownerless rows predate owners; a CANCEL_REQUESTED one is driven by its outbox row, whoever reads it.
const NEEDS_A_DRIVER = "(`state` IN ('RECEIVED', 'AWAITING_ALIPAY') OR (`state` = 'APPROVED' AND `delivery` <> 'delivered'))";
// A refund given up to people (manual_intervention) is retried by hand only, whoever owned it.
const REFUND_RETRIED = "`state` IN ('RECEIVED', 'PENDING') AND `manual_intervention` = 0";

class LeaseMissing extends Error {}

export class SqlInstanceLeases implements InstanceLeases {
  constructor(private readonly session: SqlSession) {}

  async register(instanceId: string, now: Date, until: Date): Promise<number> {
    try {
      await this.session.write({
        guarded: [
          {
            statement: sql(
              'UPDATE `instance_leases` SET `epoch` = `epoch` + 1, `expires_at` = ?, `renewed_at` = ? WHERE `instance_id` = ?',
              utcText(until),
              utcText(now),
              instanceId,
            ),
            onMiss: () => new LeaseMissing(),
          },
        ],
        writes: [],
      });
    } catch (err) {
      if (!(err instanceof LeaseMissing)) throw err;
      await this.session.write({
        writes: [
          sql(
            'INSERT INTO `instance_leases` (`instance_id`, `epoch`, `expires_at`, `renewed_at`) VALUES (?, 1, ?, ?)',
            instanceId,
            utcText(until),
            utcText(now),
          ),
        ],
      });
    }
    const [row] = await this.session.select<{ epoch: number | string }>(
      sql('SELECT `epoch` FROM `instance_leases` WHERE `instance_id` = ?', instanceId),
    );
    return Number(row.epoch);
  }

  async renew(instanceId: string, epoch: number, now: Date, until: Date): Promise<boolean> {
    try {
      await this.session.write({
        guarded: [
          {
            statement: sql(
              'UPDATE `instance_leases` SET `expires_at` = ?, `renewed_at` = ? WHERE `instance_id` = ? AND `epoch` = ?',
              utcText(until),
              utcText(now),
              instanceId,
              epoch,
            ),
            onMiss: () => new LeaseMissing(),
          },
        ],
        writes: [],
      });
      return true;
    } catch (err) {
      if (err instanceof LeaseMissing) return false;
      throw err;
    }
  }

  async release(instanceId: string, epoch: number): Promise<void> {
    await this.session.write({
      writes: [sql('DELETE FROM `instance_leases` WHERE `instance_id` = ? AND `epoch` = ?', instanceId, epoch)],
    });
  }

  async lapsedOwners(self: string, now: Date): Promise<string[]> {
    // The owner indexes hold only unfinished rows (the owner is cleared once nothing drives it), so this stays small.
    const rows = await this.session.select<{ owner_instance: string }>(
      sql(`${lapsedOwnersOf('payments')} UNION ${lapsedOwnersOf('refunds', REFUND_RETRIED)}`, self, utcText(now), self, utcText(now)),
    );
    return rows.map((r) => String(r.owner_instance));
  }

  unfinishedOf(owner: string | null): Promise<Payment[]> {
    return owner === null
      ? selectRecords(this.session, PAYMENTS, `WHERE \`owner_instance\` IS NULL AND ${NEEDS_A_DRIVER} ORDER BY \`created_at\` ASC`)
      : selectRecords(this.session, PAYMENTS, `WHERE \`owner_instance\` = ? AND ${UNFINISHED} ORDER BY \`created_at\` ASC`, owner);
  }

  unfinishedRefundsOf(owner: string | null): Promise<Refund[]> {
    return owner === null
      ? selectRecords(this.session, REFUNDS, `WHERE \`owner_instance\` IS NULL AND ${REFUND_RETRIED} ORDER BY \`created_at\` ASC`)
      : selectRecords(this.session, REFUNDS, `WHERE \`owner_instance\` = ? AND ${REFUND_RETRIED} ORDER BY \`created_at\` ASC`, owner);
  }

  async forgetExpired(before: Date): Promise<void> {
    await this.session.write({ writes: [sql('DELETE FROM `instance_leases` WHERE `expires_at` < ?', utcText(before))] });
  }
}

/** Owners named in `table` (rows meeting `rows`), other than the first parameter, without a lease valid at the second. */
function lapsedOwnersOf(table: 'payments' | 'refunds', rows = '1 = 1'): string {
  return (
    `SELECT DISTINCT \`owner_instance\` FROM \`${table}\` WHERE \`owner_instance\` IS NOT NULL AND \`owner_instance\` <> ? AND ${rows} ` +
    `AND NOT EXISTS (SELECT 1 FROM \`instance_leases\` WHERE \`instance_leases\`.\`instance_id\` = \`${table}\`.\`owner_instance\` AND \`instance_leases\`.\`expires_at\` > ?)`
  );
}
