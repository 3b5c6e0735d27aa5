import { randomBytes, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import {
  AMS_EMPTY_BATCH_ID,
  amsSettlementDirectory,
  amsSettlementItemsName,
  amsSettlementSummaryName,
  amsTransactionItemsPath,
  compactDay,
  mapiTransactionFilePath,
  statementDayWindow,
  writeAmsSettlementItems,
  writeAmsSettlementSummary,
  writeAmsTransactionItems,
  type StatementLine,
  writeMapiTransactionFile,
  writeTradeBillZip,
} from '../../reconciliation';
import type { SandboxCredentials } from '../credentials';
import { jsonReply, type SandboxReply, type SandboxRequest } from '../http/exchange';
import type { SandboxIds } from '../ids';
import type { Ledger, SandboxPayment } from '../ledger';
import { SANDBOX_PROTOCOLS, type SandboxProtocol } from '../protocol';
import { statementLines } from './statement-lines';
import { StatementPlants } from './statement-plants';

/** Where the short-lived bill URLs point (the path Alipay's own download URLs use). */
export const BILL_DOWNLOAD_PATH = '/downloadBillFile.resource';
/** Alipay's bill URLs expire 30 s after issue. */
export const BILL_URL_TTL_MS = 30_000;

/**
 * Alipay's side of reconciliation: each protocol's files for any day, made from the ledger when asked
 * (AMS and MAPI over SFTP, the Open Platform bill behind a 30-second URL), and the control endpoints
 * under /sandbox/statements/ that plant discrepancies.
 */
export class SandboxStatements {
  readonly plants = new StatementPlants();
  private readonly downloads = new Map<
    string,
    { protocol: SandboxProtocol; day: string; expiresAt: number }
  >();
  /** Set once the HTTP server listens: bill URLs point at it. */
  baseUrl = '';

  constructor(
    private readonly ledger: Ledger,
    private readonly ids: SandboxIds,
    private readonly credentials: SandboxCredentials,
    private readonly now: () => Date,
  ) {}

  /** The SFTP tree: AMS under /v1/settlements/<clientId>/<yyyyMMdd>/, MAPI under /<partner>/. */
  file(path: string): Promise<Buffer | undefined> {
    for (const day of daysNamedIn(path)) {
      if (path === amsTransactionItemsPath(this.credentials.ams.clientId, day))
        return Promise.resolve(this.amsFile(day));
      if (path.startsWith(amsSettlementDirectory(this.credentials.ams.clientId, day))) {
        const settlement = this.amsSettlementFiles(day).get(path);
        if (settlement !== undefined) return Promise.resolve(Buffer.from(settlement(), 'utf8'));
      }
      if (path === mapiTransactionFilePath(this.credentials.mapi.partner, day))
        return Promise.resolve(this.mapiFile(day));
    }
    return Promise.resolve(undefined);
  }

  /** The names in an AMS day directory (the only directories the server lists); undefined for others. */
  directory(path: string): Promise<string[] | undefined> {
    const dir = path.endsWith('/') ? path : `${path}/`;
    for (const day of daysNamedIn(dir))
      if (dir === amsSettlementDirectory(this.credentials.ams.clientId, day))
        return Promise.resolve([
          amsTransactionItemsPath(this.credentials.ams.clientId, day).slice(dir.length),
          ...[...this.amsSettlementFiles(day).keys()].map((p) => p.slice(dir.length)),
        ]);
    return Promise.resolve(undefined);
  }

  /** `alipay.data.dataservice.bill.downloadurl.query`: the answer node for its biz_content. */
  billDownloadUrl(billType: string | undefined, billDate: string | undefined): Record<string, string> {
    if (billType !== 'trade' || billDate === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(billDate))
      return refusal('INVAILID_ARGUMENTS', 'bill_type must be trade and bill_date yyyy-MM-dd');
    // Alipay makes a day's bill on T+1; the sandbox is kinder and serves today's so far (tests reconcile
    // the day they make), but a day that has not begun has no bill.
    if (statementDayWindow('openapi', billDate).start.getTime() > this.now().getTime())
      return refusal('BILL_NOT_EXIST', 'the bill of this day does not exist yet');
    const fileId = randomBytes(16).toString('hex');
    this.downloads.set(fileId, {
      protocol: 'openapi',
      day: billDate,
      expiresAt: this.now().getTime() + BILL_URL_TTL_MS,
    });
    const query = new URLSearchParams({ bizType: 'trade', bizDates: billDate.replace(/-/g, ''), fileId });
    return {
      code: '10000',
      msg: 'Success',
      bill_download_url: `${this.baseUrl}${BILL_DOWNLOAD_PATH}?${query.toString()}`,
    };
  }

  /** GET of a bill URL: the zip while the URL is fresh, 404 after. */
  async serveDownload(url: URL, res: ServerResponse): Promise<void> {
    const fileId = url.searchParams.get('fileId') ?? '';
    const found = this.downloads.get(fileId);
    if (!found || found.expiresAt < this.now().getTime()) {
      this.downloads.delete(fileId);
      res.writeHead(404, { 'content-type': 'text/plain' }).end('expired or unknown bill URL');
      return;
    }
    const pid = this.credentials.mapi.partner;
    const zip = await writeTradeBillZip(
      pid,
      found.day,
      statementLines(this.ledger, this.plants, 'openapi', found.day),
    );
    res.writeHead(200, {
      'content-type': 'application/zip',
      'content-length': String(zip.length),
      'content-disposition': `attachment; filename="${pid}_${found.day.replace(/-/g, '')}.csv.zip"`,
    });
    res.end(zip);
  }

  /** POST /sandbox/statements/<plant>: see docs/alipay-channels.md (Reconciliation files). */
  control(req: SandboxRequest): SandboxReply {
    if (req.method !== 'POST') return jsonReply(405, { error: 'METHOD_NOT_ALLOWED' });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(req.body || '{}') as Record<string, unknown>;
    } catch {
      return jsonReply(400, { error: 'BAD_JSON' });
    }
    const protocol = SANDBOX_PROTOCOLS.find((p) => p === body.protocol);
    if (!protocol)
      return jsonReply(400, { error: 'BAD_PROTOCOL', detail: 'protocol must be ams, openapi or mapi' });
    const plant = req.path.slice('/sandbox/statements/'.length);
    const amount = body.amountMinor;
    const wholeAmount =
      typeof amount === 'number' && Number.isSafeInteger(amount) && amount > 0 ? amount : undefined;
    const payment = typeof body.id === 'string' ? this.ledger.find(protocol, { id: body.id }) : undefined;
    switch (plant) {
      case 'unknown-payment': {
        if (wholeAmount === undefined || typeof body.currency !== 'string')
          return jsonReply(400, { error: 'BAD_PLANT', detail: 'amountMinor and currency are required' });
        const created = this.unknownPayment(protocol, wholeAmount, body.currency);
        return jsonReply(200, {
          planted: plant,
          id: created.id,
          alipayTransactionId: created.alipayTransactionId,
        });
      }
      case 'revive':
        if (!payment) return jsonReply(404, { error: 'PAYMENT_NOT_FOUND' });
        // The cancel "never happened" at Alipay: the money is held again.
        payment.status = 'SUCCESS';
        payment.paidAt ??= payment.createdAt;
        delete payment.cancelAction;
        delete payment.cancelledAt;
        return jsonReply(200, { planted: plant, id: payment.id });
      case 'amount':
        if (!payment || wholeAmount === undefined)
          return jsonReply(400, { error: 'BAD_PLANT', detail: 'id and amountMinor' });
        this.plants.setAmount(protocol, payment.id, wholeAmount);
        return jsonReply(200, { planted: plant, id: payment.id });
      case 'drop':
        if (!payment) return jsonReply(404, { error: 'PAYMENT_NOT_FOUND' });
        this.plants.drop(protocol, payment.id);
        return jsonReply(200, { planted: plant, id: payment.id });
      case 'settlement-total': {
        // AMS only: the day's settlement summary TOTAL is off by amountMinor (may be negative).
        const skew = body.amountMinor;
        if (
          protocol !== 'ams' ||
          typeof body.day !== 'string' ||
          !/^\d{4}-\d{2}-\d{2}$/.test(body.day) ||
          typeof skew !== 'number' ||
          !Number.isSafeInteger(skew)
        )
          return jsonReply(400, {
            error: 'BAD_PLANT',
            detail: 'protocol ams, day yyyy-MM-dd and amountMinor',
          });
        this.plants.setSettlementSkew(body.day, skew);
        return jsonReply(200, { planted: plant, day: body.day });
      }
      case 'refund-amount':
        if (typeof body.refundRequestId !== 'string' || wholeAmount === undefined)
          return jsonReply(400, { error: 'BAD_PLANT', detail: 'refundRequestId and amountMinor' });
        this.plants.setRefundAmount(protocol, body.refundRequestId, wholeAmount);
        return jsonReply(200, { planted: plant, refundRequestId: body.refundRequestId });
      default:
        return jsonReply(404, { error: 'NOT_FOUND', path: req.path });
    }
  }

  reset(): void {
    this.plants.clear();
    this.downloads.clear();
  }

  private unknownPayment(protocol: SandboxProtocol, amountMinor: number, currency: string): SandboxPayment {
    const now = this.now();
    const payment: SandboxPayment = {
      protocol,
      id: `SBX${randomUUID().replace(/-/g, '')}`,
      scenario: 'approve',
      paymentCode: '281234567890123000',
      amountMinor,
      currency,
      alipayTransactionId: this.ids.transactionId(protocol, now),
      createdAt: now,
      status: 'SUCCESS',
      paidAt: now,
      refundedMinor: 0,
      inquiriesAnswered: 0,
      cancelCalls: 0,
      refunds: new Map(),
      notifications: [],
      extra: {},
    };
    this.ledger.add(payment);
    return payment;
  }

  private amsFile(day: string): Buffer {
    const lines = statementLines(this.ledger, this.plants, 'ams', day);
    const rows = lines.map((line) => ({ line, transactionId: line.alipayTransactionId ?? '' }));
    return Buffer.from([...writeAmsTransactionItems(this.credentials.ams.clientId, rows)].join(''), 'utf8');
  }

  /**
   * The AMS settlement files of a day, path -> text: the sandbox settles each day's transactions in one
   * batch per currency dated that day (no FX: settled 1:1); a day without any, an empty summary.
   */
  private amsSettlementFiles(day: string): Map<string, () => string> {
    const clientId = this.credentials.ams.clientId;
    const dir = amsSettlementDirectory(clientId, day);
    const lines = statementLines(this.ledger, this.plants, 'ams', day);
    const byCurrency = new Map<string, StatementLine[]>();
    for (const line of lines) {
      const batch = byCurrency.get(line.currency);
      if (batch) batch.push(line);
      else byCurrency.set(line.currency, [line]);
    }
    const settledAt = new Date(
      Math.min(this.now().getTime(), statementDayWindow('ams', day).end.getTime() - 1),
    );
    const files = new Map<string, () => string>();
    if (byCurrency.size === 0) {
      files.set(`${dir}${amsSettlementSummaryName('USD', AMS_EMPTY_BATCH_ID)}`, () =>
        writeAmsSettlementSummary(clientId, AMS_EMPTY_BATCH_ID, 'USD', settledAt, []),
      );
      return files;
    }
    [...byCurrency.keys()].sort().forEach((currency, i) => {
      const batchId = `${compactDay(day)}${String(i + 1).padStart(11, '0')}`;
      const batch = byCurrency.get(currency) ?? [];
      const rows = batch.map((line) => ({ line, transactionId: line.alipayTransactionId ?? '' }));
      files.set(`${dir}${amsSettlementItemsName(currency, batchId)}`, () =>
        [...writeAmsSettlementItems(clientId, batchId, settledAt, rows)].join(''),
      );
      files.set(`${dir}${amsSettlementSummaryName(currency, batchId)}`, () =>
        writeAmsSettlementSummary(
          clientId,
          batchId,
          currency,
          settledAt,
          batch,
          this.plants.settlementSkewOf(day),
        ),
      );
    });
    return files;
  }

  private mapiFile(day: string): Buffer {
    const lines = statementLines(this.ledger, this.plants, 'mapi', day);
    return Buffer.from(
      [...writeMapiTransactionFile(this.credentials.mapi.partner, day, lines)].join(''),
      'utf8',
    );
  }
}

/** The yyyyMMdd days a path names, as yyyy-MM-dd. */
function daysNamedIn(path: string): string[] {
  return [...new Set(path.match(/\d{8}/g) ?? [])]
    .map((d) => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`)
    .filter((day) => !Number.isNaN(Date.parse(`${day}T00:00:00Z`)));
}

function refusal(subCode: string, subMsg: string): Record<string, string> {
  return { code: '40004', msg: 'Business Failed', sub_code: subCode, sub_msg: subMsg };
}
