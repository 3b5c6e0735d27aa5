/**
 * Idempotency-Key on every POST under /pay/v1, for every route (extensions' too): the first request with a
 * key is claimed (table merchant_api_idempotency, per client) before it runs, and its answer (status, body)
 * stored once it is sent. A repeat with the same method, path and body gets that answer again; the same key
 * on another request is a 422; a repeat while the first still runs is a 409. An answer of 5xx frees the key,
 * so the merchant can try again with it.
 */
import { createHash } from 'node:crypto';
import type { NextFunction, Response } from 'express';
import { problemDetails } from '../../admin/http/problem';
import { sendProblem } from '../../admin/http/problem.filter';
import type { Logger } from '../../logging/logger';
import type { UnitOfWork } from '../../persistence/unit-of-work';
import { count, optionalText, rows, text, utcText } from '../../admin/http/sql';
import type { PayRequest } from './pay-request';

const KEY_SHAPE = /^[\x21-\x7e]{8,128}$/;

type Claim = { kind: 'new' } | { kind: 'replay'; status: number; contentType: string; body: string } | { kind: 'conflict' } | { kind: 'in-progress' };

export class IdempotencyStore {
  constructor(private readonly uow: UnitOfWork) {}

  async claim(clientId: string, key: string, requestLine: string, bodyHash: string): Promise<Claim> {
    try {
      await this.uow.run((m) =>
        m.query('INSERT INTO `merchant_api_idempotency` (`client_id`, `idempotency_key`, `request_line`, `body_hash`, `created_at`) VALUES (?, ?, ?, ?, ?)', [
          clientId,
          key,
          requestLine.slice(0, 255),
          bodyHash,
          utcText(new Date()),
        ]),
      );
      return { kind: 'new' };
    } catch (insertError) {
      const [row] = await this.uow.read((m) => rows(m, 'SELECT * FROM `merchant_api_idempotency` WHERE `client_id` = ? AND `idempotency_key` = ?', [clientId, key]));
      if (!row) throw insertError;
      if (text(row.request_line) !== requestLine.slice(0, 255) || text(row.body_hash) !== bodyHash) return { kind: 'conflict' };
      const stored = optionalText(row.response);
      if (row.status_code === null || row.status_code === undefined || stored === undefined) return { kind: 'in-progress' };
      const { contentType, body } = JSON.parse(stored) as { contentType: string; body: string };
      return { kind: 'replay', status: count(row.status_code), contentType, body };
    }
  }

  async settle(clientId: string, key: string, status: number, contentType: string, body: string): Promise<void> {
    await this.uow.run((m) =>
      status >= 500
        ? m.query('DELETE FROM `merchant_api_idempotency` WHERE `client_id` = ? AND `idempotency_key` = ?', [clientId, key])
        : m.query('UPDATE `merchant_api_idempotency` SET `status_code` = ?, `response` = ? WHERE `client_id` = ? AND `idempotency_key` = ?', [
            status,
            JSON.stringify({ contentType, body }),
            clientId,
            key,
          ]),
    );
  }
}

/** Express middleware after authenticateClient: claims the key, or answers the first result again. */
export function requireIdempotency(store: IdempotencyStore, logger: Logger) {
  return (request: PayRequest, response: Response, next: NextFunction): void => {
    const client = request.payClient;
    if (request.method !== 'POST' || !client) return next();
    const instance = request.originalUrl.split('?')[0];
    const key = request.header('idempotency-key');
    if (key === undefined || !KEY_SHAPE.test(key))
      return sendProblem(response, problemDetails(400, 'every POST needs an Idempotency-Key header of 8-128 printable characters', instance, ['Idempotency-Key']));
    const requestLine = `${request.method} ${request.originalUrl}`;
    const bodyHash = createHash('sha256').update(request.rawBody ?? '', 'utf8').digest('hex');
    store.claim(client.clientId, key, requestLine, bodyHash).then(
      (claim) => {
        switch (claim.kind) {
          case 'conflict':
            return sendProblem(response, problemDetails(422, 'this Idempotency-Key was used for another request (method, path or body differ)', instance));
          case 'in-progress':
            return sendProblem(response, problemDetails(409, 'a request with this Idempotency-Key is still being answered; repeat it later', instance));
          case 'replay':
            response.setHeader('Idempotent-Replayed', 'true');
            response.status(claim.status).type(claim.contentType).send(claim.body);
            return;
          case 'new':
            keepAnswer(response, (status, contentType, body) =>
              store.settle(client.clientId, key, status, contentType, body).catch((err: unknown) =>
                logger.error({ err: err instanceof Error ? err.message : String(err) }, 'storing an idempotent answer failed'),
              ),
            );
            return next();
        }
      },
      (err: unknown) => next(err),
    );
  };
}

/**
 * Stores the answer (status and body) before it is sent, whoever sends it (controller or filter), so a
 * repeat that follows the answer at once finds it. A client gone before any answer was written frees the
 * key (as a 5xx does).
 */
function keepAnswer(response: Response, keep: (status: number, contentType: string, body: string) => Promise<void>): void {
  const send = response.send.bind(response);
  let captured = false;
  response.send = (chunk?: unknown) => {
    // Express's send(object) comes back through json() to send(string): only the first call is kept.
    if (captured) return send(chunk);
    captured = true;
    const body = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : chunk === undefined || chunk === null ? '' : JSON.stringify(chunk);
    void keep(response.statusCode, String(response.getHeader('content-type') ?? 'application/json'), body).finally(() => send(chunk));
    return response;
  };
  response.once('close', () => {
    if (!captured) void keep(500, '', '');
  });
}
