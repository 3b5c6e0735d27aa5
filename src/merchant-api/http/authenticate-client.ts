/**
 * The /pay/v1 front door, mounted before routing (the server has no body parser of its own): the body is
 * read here, up to PAY_API_MAX_BODY_BYTES, and the request refused with 401 and nothing else (not a 404,
 * not a parse error) unless it carries Client-Id, a fresh Request-Time and a Signature that this client's
 * secret reproduces. Only then is a JSON body parsed for the controllers.
 */
import type { NextFunction, Response } from 'express';
import { problemDetails } from '../../admin/http/problem';
import { sendProblem } from '../../admin/http/problem.filter';
import type { ApiClientStore } from '../clients/api-client-store';
import { parseRequestTime, signatureMatches, signatureOf } from '../signing/request-signature';
import { UNAUTHENTICATED, type PayRequest } from './pay-request';

export interface FrontDoorOptions {
  clockSkewMs: number;
  maxBodyBytes: number;
  /** Paths under /pay/v1 answered without a signature (the OpenAPI document, browser-facing routes). */
  isPublic(path: string): boolean;
}

export function authenticateClient(clients: ApiClientStore, options: FrontDoorOptions) {
  return (request: PayRequest, response: Response, next: NextFunction): void => {
    const instance = request.originalUrl.split('?')[0];
    const refuse = () => sendProblem(response, problemDetails(401, UNAUTHENTICATED, instance));
    const isPublic = options.isPublic(request.path);
    const clientId = request.header('client-id');
    const requestTimeText = request.header('request-time');
    const requestTime = parseRequestTime(requestTimeText);
    const signature = signatureOf(request.header('signature'));
    if (!isPublic && (clientId === undefined || !/^[A-Za-z0-9_]{1,40}$/.test(clientId) || !requestTime || !signature)) return refuse();
    if (!isPublic && Math.abs(Date.now() - requestTime!.getTime()) > options.clockSkewMs) return refuse();

    readBody(request, options.maxBodyBytes).then(
      async (body) => {
        if (body === undefined) return sendProblem(response, problemDetails(413, `the body is larger than ${options.maxBodyBytes} bytes`, instance));
        if (!isPublic) {
          const client = await clients.byClientId(clientId!);
          const parts = { method: request.method, path: request.originalUrl, clientId: clientId!, requestTime: requestTimeText!, body };
          if (!client || client.revoked || !signatureMatches(parts, client.secret, signature!)) return refuse();
          request.payClient = client;
          request.payMerchantId = client.merchantId;
        }
        request.rawBody = body;
        if (body === '') return next();
        if (!/^application\/json\b/i.test(request.header('content-type') ?? ''))
          return sendProblem(response, problemDetails(415, 'send the body as application/json', instance));
        try {
          request.body = JSON.parse(body) as unknown;
        } catch {
          return sendProblem(response, problemDetails(400, 'the body is not valid JSON', instance));
        }
        next();
      },
      (err: unknown) => next(err),
    );
  };
}

/** The body as text, or undefined when it is larger than `limit` (the rest is not read). */
function readBody(request: PayRequest, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    if (Number(request.header('content-length') ?? 0) > limit) return resolve(undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit && !done) {
        done = true;
        request.pause();
        resolve(undefined);
      } else chunks.push(chunk);
    });
    request.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    request.on('error', reject);
  });
}
