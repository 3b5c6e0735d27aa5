import { CancelJobEntity } from './cancel-job.entity';
import { EarlyReversalEntity } from './early-reversal.entity';
import { ManualInterventionEntity } from './manual-intervention.entity';
import { MerchantEntity } from './merchant.entity';
import { OutboxMessageEntity } from './outbox-message.entity';
import { PaymentEventEntity } from './payment-event.entity';
import { PaymentEntity } from './payment.entity';
import { RefundEntity } from './refund.entity';
import { TerminalEntity } from './terminal.entity';

export {
  MerchantEntity,
  OutboxMessageEntity,
  PaymentEntity,
  PaymentEventEntity,
  RefundEntity,
  TerminalEntity,
};
export { CancelJobEntity, EarlyReversalEntity, ManualInterventionEntity };
export type { ChannelName } from './merchant.entity';

export const ENTITIES = [
  MerchantEntity,
  TerminalEntity,
  PaymentEntity,
  RefundEntity,
  PaymentEventEntity,
  OutboxMessageEntity,
  EarlyReversalEntity,
  ManualInterventionEntity,
  CancelJobEntity,
];
