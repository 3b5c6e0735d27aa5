/**
 * Which of Alipay's files a run reads. Every channel has its transaction file; AMS also settles through
 * settlement reports (settlementItems and settlementSummary), reconciled as a run of their own.
 */
import type { ChannelName } from '@switch/alipay';

export type FileKind = 'transactions' | 'settlement';

export const FILE_KINDS: readonly FileKind[] = ['transactions', 'settlement'];

export const fileKindsOf = (channel: ChannelName): readonly FileKind[] =>
  channel === 'ams' ? FILE_KINDS : ['transactions'];
