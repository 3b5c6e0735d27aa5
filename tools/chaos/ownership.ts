/**
 * "Nothing owned by a dead instance" (issue 13): after the run, no payment may still name as its owner an
 * instance that is no longer running. Reads `payments.owner_instance` (migration 1764720000000, NULL once a
 * payment is final); a database without that column (an engine from before issue 13) cannot be checked.
 */
import type { Connection, RowDataPacket } from 'mysql2/promise';

export interface DeadOwner {
  paymentRequestId: string;
  state: string;
  owner: string;
}

/** MySQL's "unknown column" (ER_BAD_FIELD_ERROR). */
const UNKNOWN_COLUMN = 1054;

/** Payments owned by an instance not in `live`; undefined when the schema has no owner column. */
export async function paymentsOwnedByDeadInstances(
  db: Connection,
  live: readonly string[],
): Promise<DeadOwner[] | undefined> {
  try {
    const [rows] = await db.query<RowDataPacket[]>(
      'SELECT payment_request_id, state, owner_instance FROM payments WHERE owner_instance IS NOT NULL',
    );
    return rows
      .filter((r) => !live.includes(String(r.owner_instance)))
      .map((r) => ({
        paymentRequestId: String(r.payment_request_id),
        state: String(r.state),
        owner: String(r.owner_instance),
      }));
  } catch (error) {
    if ((error as { errno?: number }).errno === UNKNOWN_COLUMN) return undefined;
    throw error;
  }
}
