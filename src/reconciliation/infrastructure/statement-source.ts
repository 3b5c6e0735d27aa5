/**
 * Fetches a channel-day's files from Alipay, one per Alipay account the channel's merchants use (AMS
 * clientId, Open Platform app, MAPI partner), and hands each to the caller as parsed entries, streaming:
 * AMS and MAPI over SFTP, Open Platform through the bill URL query and a download to a temporary file
 * (zips are read from their central directory, at the end).
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AMS_EMPTY_BATCH_ID,
  amsSettlementDirectory,
  amsSettlementItemsName,
  amsSettlementSummaryOf,
  amsTransactionItemsPath,
  mapiTransactionFilePath,
  parseAmsSettlementItems,
  parseAmsTransactionItems,
  parseMapiTransactionFile,
  parseTradeBillZip,
  queryTradeBillUrl,
  readAmsSettlementSummary,
  type ChannelName,
  type SettlementEntry,
} from '@switch/alipay';
import { MerchantEntity } from '../../persistence/entities';
import { sealedIn, type SecretBox } from '../../persistence/secret-box';
import { SANDBOX_ENDPOINT, type StoredCredentials } from '../../persistence/stored-credentials';
import type { UnitOfWork } from '../../persistence/unit-of-work';
import type { SftpEndpoint } from '../reconciliation.config';
import type { FileKind } from '../domain/file-kind';
import { listSftpDirectory, StatementUnavailableError, withSftpFile } from './sftp-file';

/** Receives a file's entries in batches. */
export type UseFile = (name: string, entries: AsyncIterable<SettlementEntry[]>) => Promise<void>;

export interface StatementSourceOptions {
  readonly amsSftp?: SftpEndpoint;
  readonly mapiSftp?: SftpEndpoint;
  /** Where merchants with endpoint "sandbox" are sent (Open Platform bill queries go there too). */
  readonly sandboxUrl: string;
  readonly alipayCallTimeoutMs: number;
}

export class StatementSource {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly secrets: SecretBox,
    private readonly options: StatementSourceOptions,
  ) {}

  /** Calls `use` once per file; throws StatementUnavailableError when a file cannot be had. */
  async forEachFile(
    channel: ChannelName,
    day: string,
    use: UseFile,
    kind: FileKind = 'transactions',
  ): Promise<string[]> {
    const accounts = await this.accounts(channel);
    const names: string[] = [];
    for (const account of accounts.values()) {
      if (kind === 'settlement') names.push(...(await this.fetchAmsSettlement(account, day, use)));
      else names.push(await this.fetch(account, day, use));
    }
    return names;
  }

  /**
   * AMS settlement: the day's directory is listed (the names carry batch ids); per batch the summary is
   * read first (a few rows), then the items streamed and checked against its TOTAL.
   */
  private async fetchAmsSettlement(account: Account, day: string, use: UseFile): Promise<string[]> {
    const c = account.credentials;
    if (c.channel !== 'ams') throw new StatementUnavailableError(`${c.channel} has no settlement reports`);
    const endpoint = this.sftp('ams');
    const dir = amsSettlementDirectory(c.clientId, day);
    const batches = (await listSftpDirectory(endpoint, dir)).flatMap((name) => {
      const batch = amsSettlementSummaryOf(name);
      return batch ? [{ ...batch, summaryPath: `${dir}${name}` }] : [];
    });
    if (batches.length === 0)
      throw new StatementUnavailableError(`${dir}: no settlementSummary (not settled yet)`);
    const names: string[] = [];
    for (const { currency, batchId, summaryPath } of batches) {
      const summary = await withSftpFile(endpoint, summaryPath, (s) => readAmsSettlementSummary(s, currency));
      names.push(summaryPath);
      if (batchId === AMS_EMPTY_BATCH_ID) continue;
      const itemsPath = `${dir}${amsSettlementItemsName(currency, batchId)}`;
      await withSftpFile(endpoint, itemsPath, (stream) =>
        use(itemsPath, parseAmsSettlementItems(stream, batchId, summary)),
      );
      names.push(itemsPath);
    }
    return names;
  }

  private async fetch(account: Account, day: string, use: UseFile): Promise<string> {
    const c = account.credentials;
    switch (c.channel) {
      case 'ams': {
        const path = amsTransactionItemsPath(c.clientId, day);
        await withSftpFile(this.sftp('ams'), path, (stream) => use(path, parseAmsTransactionItems(stream)));
        return path;
      }
      case 'mapi': {
        const path = mapiTransactionFilePath(c.partner, day);
        await withSftpFile(this.sftp('mapi'), path, (stream) => use(path, parseMapiTransactionFile(stream)));
        return path;
      }
      case 'openapi': {
        const answer = await queryTradeBillUrl(
          {
            channel: 'openapi',
            appId: c.appId,
            merchantPrivateKey: c.merchantPrivateKey,
            alipayPublicKey: c.alipayPublicKey,
            ...(c.signType ? { signType: c.signType } : {}),
            gatewayUrl: account.sandbox ? `${this.options.sandboxUrl}/gateway.do` : account.endpoint,
            timeoutMs: this.options.alipayCallTimeoutMs,
          },
          day,
        );
        if (answer.kind !== 'url')
          throw new StatementUnavailableError(
            `trade bill of ${day} for app ${c.appId}: ${answer.kind === 'refused' ? `${answer.code} ${answer.message}` : answer.detail}`,
          );
        const dir = await mkdtemp(join(tmpdir(), 'recon-bill-'));
        try {
          const zipPath = join(dir, 'bill.zip');
          // The URL lives 30 s: download at once, to disk, then read.
          const res = await fetch(answer.url, { signal: AbortSignal.timeout(120_000) });
          if (!res.ok || !res.body)
            throw new StatementUnavailableError(`trade bill download: HTTP ${res.status}`);
          await pipeline(Readable.fromWeb(res.body), createWriteStream(zipPath));
          const name = `trade bill ${c.appId} ${day}`;
          await use(name, parseTradeBillZip(zipPath));
          return name;
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }
    }
  }

  private sftp(channel: 'ams' | 'mapi'): SftpEndpoint {
    const endpoint = channel === 'ams' ? this.options.amsSftp : this.options.mapiSftp;
    if (!endpoint)
      throw new StatementUnavailableError(
        `no SFTP server is configured for ${channel} (RECON_${channel.toUpperCase()}_SFTP)`,
      );
    return endpoint;
  }

  /** One entry per Alipay account among the channel's merchants. */
  private async accounts(channel: ChannelName): Promise<Map<string, Account>> {
    const rows = await this.uow.read((m) => m.find(MerchantEntity, { where: { channel } }));
    const accounts = new Map<string, Account>();
    for (const row of rows) {
      const credentials = JSON.parse(
        this.secrets.openText(row.credentialsSealed, sealedIn.merchantCredentials(row.merchantId)),
      ) as StoredCredentials;
      const id =
        credentials.channel === 'ams'
          ? credentials.clientId
          : credentials.channel === 'openapi'
            ? credentials.appId
            : credentials.partner;
      if (!accounts.has(id))
        accounts.set(id, { credentials, endpoint: row.endpoint, sandbox: row.endpoint === SANDBOX_ENDPOINT });
    }
    return accounts;
  }
}

interface Account {
  readonly credentials: StoredCredentials;
  readonly endpoint: string;
  readonly sandbox: boolean;
}
