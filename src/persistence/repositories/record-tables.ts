/**
 * The payments and refunds tables as the hot-path SQL sees them, read from their TypeORM entities (the one
 * description of each table; the migrations create them).
 */
import type { Payment } from '../../payments/domain/payment';
import type { Refund } from '../../payments/domain/refund';
import { PaymentEntity, RefundEntity } from '../entities';
import { RecordTable } from '../sql/record-table';
import { entityColumns } from './entity-columns';

export const PAYMENTS = new RecordTable<Payment>(
  'payments',
  entityColumns<Payment>(PaymentEntity, { manualIntervention: 'flag' }),
);

export const REFUNDS = new RecordTable<Refund>(
  'refunds',
  entityColumns<Refund>(RefundEntity, { manualIntervention: 'flag' }),
);
