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
  amsTransactionItemsPath,
  mapiTransactionFilePath,
  parseAmsTransactionItems,
  parseMapiTransactionFile,
  parseTradeBillZip,
  queryTradeBillUrl,
  type ChannelName,
  type StatementEntry,
} from '@switch/alipay';
import { MerchantEntity } from '../../persistence/entities';
import { sealedIn, type SecretBox } from '../../persistence/secret-box';
import { SANDBOX_ENDPOINT, type StoredCredentials } from '../../persistence/stored-credentials';
import type { UnitOfWork } from '../../persistence/unit-of-work';
import type { SftpEndpoint } from '../reconciliation.config';
import { StatementUnavailableError, withSftpFile } from './sftp-file';

/** Receives a file's entries in batches. */
export type UseFile = (name: string, entries: AsyncIterable<StatementEntry[]>) => Promise<void>;

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
  async forEachFile(channel: ChannelName, day: string, use: UseFile): Promise<string[]> {
    const accounts = await this.accounts(channel);
    const names: string[] = [];
    for (const account of accounts.values()) {
      const name = await this.fetch(account, day, use);
      names.push(name);
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
      const credentials = JSON.parse(this.secrets.openText(row.credentialsSealed, sealedIn.merchantCredentials(row.merchantId))) as StoredCredentials;
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
