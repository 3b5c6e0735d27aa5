/**
 * Idempotency-Key for operator refunds: the first request with a key is recorded before the refund is
 * attempted, and its answer (status and body) once it is known; a repeat of the key gets that answer
 * again and never a second refund.
 */
import type { UnitOfWork } from '../../persistence/unit-of-work';
import { badRequest, conflict, unprocessable } from '../http/problem';
import { count, rows, text, utcText } from '../http/sql';

export interface StoredAnswer {
  status: number;
  body: unknown;
}

export type Claim = { kind: 'new' } | { kind: 'replay'; answer: StoredAnswer };

const KEY_SHAPE = /^[\x21-\x7e]{8,128}$/;

export class RefundIdempotency {
  constructor(private readonly uow: UnitOfWork) {}

  async claim(key: string | undefined, paymentRequestId: string, amountMinor: number, actor: string): Promise<Claim> {
    if (key === undefined || !KEY_SHAPE.test(key))
      throw badRequest('a refund needs an Idempotency-Key header of 8-128 printable characters', ['Idempotency-Key']);
    try {
      await this.uow.run((m) =>
        m.query(
          'INSERT INTO `admin_refunds` (`idempotency_key`, `payment_request_id`, `amount_minor`, `actor`, `created_at`) VALUES (?, ?, ?, ?, ?)',
          [key, paymentRequestId, amountMinor, actor.slice(0, 64), utcText(new Date())],
        ),
      );
      return { kind: 'new' };
    } catch (insertError) {
      const [row] = await this.uow.read((m) => rows(m, 'SELECT * FROM `admin_refunds` WHERE `idempotency_key` = ?', [key]));
      if (!row) throw insertError;
      if (text(row.payment_request_id) !== paymentRequestId || count(row.amount_minor) !== amountMinor)
        throw unprocessable('this Idempotency-Key was used for another refund (payment or amount differ)');
      if (row.status_code === null || row.status_code === undefined)
        throw conflict('a refund with this Idempotency-Key is still in progress; repeat the request later');
      return { kind: 'replay', answer: { status: count(row.status_code), body: JSON.parse(text(row.response)) as unknown } };
    }
  }

  async settle(key: string, answer: StoredAnswer): Promise<void> {
    await this.uow.run((m) =>
      m.query('UPDATE `admin_refunds` SET `status_code` = ?, `response` = ? WHERE `idempotency_key` = ?', [
        answer.status,
        JSON.stringify(answer.body),
        key,
      ]),
    );
  }
}
