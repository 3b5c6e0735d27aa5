import { hostname } from 'node:os';
import { EnvReader } from './env-reader';
import { readKafkaSecurity, type KafkaSaslConfig, type KafkaTlsConfig } from './kafka-security-config';
import { alipayEndpointProblem, readDataKeyRing, readSecurityConfig, readSqlMode, type SecurityConfig } from './security-config';
import { readReconciliationConfig, type ReconciliationConfig } from '../reconciliation/reconciliation.config';
import { readMerchantApiConfig, type MerchantApiConfig } from '../merchant-api/merchant-api.config';
import { readH5Config, type H5Config } from '../merchant-apps/h5/h5.config';
import { SourceNetworks } from '../terminal/source-networks';

export type DialectName = 'ascii' | 'nac-bcd';
export type SandboxMode = 'embedded' | 'external' | 'off';

export interface DatabaseConfig {
  /** mysql when DATABASE_URL names one; otherwise the embedded SQLite file (sql.js). */
  readonly kind: 'mysql' | 'sqlite';
  readonly url?: string;
  /** MySQL connections the process may hold; each in-flight database step holds one. */
  readonly poolSize: number;
  readonly sqlitePath: string;
  /** MySQL: the session sql_mode set on every connection (never NO_BACKSLASH_ESCAPES). */
  readonly sqlMode?: string;
}

export interface IsoListenerConfig {
  readonly dialect: DialectName;
  readonly host: string;
  readonly port: number;
}

export interface AppConfig {
  readonly env: string;
  readonly logLevel: string;
  readonly http: { readonly host: string; readonly port: number };
  readonly iso: {
    readonly listeners: readonly IsoListenerConfig[];
    readonly maxFrameBytes: number;
    readonly idleTimeoutMs: number;
    readonly maxConnections: number;
    readonly maxInFlightPerConnection: number;
    readonly shutdownGraceMs: number;
    readonly maxConnectionsPerSource: number;
    readonly firstFrameTimeoutMs: number;
    readonly refusalLogIntervalMs: number;
    /** ISO_PROXY_PROTOCOL_FROM: load balancers whose connections carry a PROXY protocol header. */
    readonly proxyProtocolFrom?: SourceNetworks;
  };
  readonly database: DatabaseConfig;
  readonly timeouts: {
    /** Merchant timeout given to the seeded demo terminals. */
    readonly merchantTimeoutMs: number;
    /** Must exceed every terminal's merchant timeout (seed 004), or the switch would cancel what the terminal still waits for. */
    readonly gatewayTimeoutMs: number;
    readonly alipayCallTimeoutMs: number;
    /** The engine stops waiting this long before a terminal's deadline so its "in doubt" reply still goes out. */
    readonly replyMarginMs: number;
  };
  /** Sign calls to Alipay on libuv's thread pool instead of the event loop (see rsaSignAsync). */
  readonly signOnThreadPool: boolean;
  readonly inquiryIntervalsMs: {
    readonly ams: number;
    readonly openapi: number;
    readonly mapi: number;
    readonly mapiFirst: number;
  };
  readonly sandbox: {
    readonly mode: SandboxMode;
    readonly url: string;
    readonly port: number;
    /** Payment codes ending 004: how long the embedded sandbox withholds pay's answer. */
    readonly noAnswerHoldMs: number;
  };
  readonly secrets: {
    /** HMAC key for payment-code hashes: lets ops find a customer's payments without storing the code. */
    readonly paymentCodeHashKey: Buffer;
    /** AES-256-GCM key for MAC keys, agent tokens and merchant private keys at rest. */
    readonly dataEncryptionKey: Buffer;
    /** The id values sealed under `dataEncryptionKey` carry (key rotation). */
    readonly dataEncryptionKeyId: string;
    /** Keys rotated out: values sealed under them still open; nothing new is sealed with them. */
    readonly olderDataKeys: ReadonlyArray<{ readonly id: string; readonly key: Buffer }>;
  };
  readonly kafka?: {
    readonly brokers: readonly string[];
    readonly clientId: string;
    readonly topicPrefix: string;
    readonly tls?: KafkaTlsConfig;
    readonly sasl?: KafkaSaslConfig;
  };
  /** Forwarding of cancels (terminal reversals, gateway timeouts, operators) to Alipay: src/reversals. */
  readonly reversals: ReversalsConfig;
  readonly notifyBaseUrl?: string;
  /** Alipay's notifications (src/notifications): their own listener, apart from the admin HTTP server. */
  readonly notifications: NotificationsConfig;
  /** Inserts the demo merchants and terminals when they are missing (the embedded default). */
  readonly seedDemoData: boolean;
  readonly security: SecurityConfig;
  /** Health, retention and the start-up credential check (src/operations). */
  readonly operations: OperationsConfig;
  /** The REST admin API (src/admin). */
  readonly admin: AdminConfig;
  /** Daily reconciliation with Alipay's files (src/reconciliation). */
  readonly reconciliation: ReconciliationConfig;
  /** The merchant REST payment API on its own port (src/merchant-api). */
  readonly merchantApi: MerchantApiConfig;
  /** The smart-restaurant H5 flow and its demo (src/merchant-apps/h5). */
  readonly h5: H5Config;
  /** This process among the switch instances sharing the database (issue 13). */
  readonly instance: InstanceConfig;
}

export interface InstanceConfig {
  /** INSTANCE_ID: names this process as the owner of its payments and sessions. */
  readonly id: string;
  /** LEASE_MS: an instance that has not renewed its lease for this long is taken over; renewed every third of it. */
  readonly leaseMs: number;
}

export interface AdminConfig {
  /** ADMIN_BOOTSTRAP_KEY: becomes the `bootstrap` admin key at start when no admin key exists. */
  readonly bootstrapKey?: string;
}

export interface OperationsConfig {
  /** /health/ready fails while the oldest unrelayed outbox row is older than this. */
  readonly readyMaxOutboxAgeMs: number;
  /** Final transactions, relayed outbox rows and finished cancel jobs older than this many days are pruned; 0 keeps everything. */
  readonly retentionDays: number;
  /** How often the pruning job runs. */
  readonly retentionIntervalMs: number;
  /** Rows deleted per statement, so a prune never holds long locks. */
  readonly retentionBatchSize: number;
  /** Whether start-up refuses to start when an active merchant's credentials do not load (false: logged only). */
  readonly requireValidCredentials: boolean;
}

export interface NotificationsConfig {
  readonly enabled: boolean;
  readonly host: string;
  readonly port: number;
  /** Larger bodies are refused (413) before they are read to the end. */
  readonly maxBodyBytes: number;
  /** Embedded sandbox: its notification retry schedule is Alipay's times this factor (tests: 0.001). */
  readonly sandboxTimeScale: number;
  /** Refresh an ISV token this long before it expires. */
  readonly tokenRefreshLeadMs: number;
}

export interface ReversalsConfig {
  /** Seed 004: a cancel without a definite answer is sent again every 5-10 s ... */
  readonly cancelRetryIntervalMs: number;
  /** ... for 60 s. */
  readonly cancelRetryWindowMs: number;
  /** Alipay's "no such payment" is final for a payment at least this old (floor: ALIPAY_CALL_TIMEOUT_MS). */
  readonly cancelAbsentFinalAfterMs: number;
  /** Then again after each of these growing waits (one retry topic each); after the last, ops must act. */
  readonly cancelBackoffMs: readonly number[];
  /** The outbox relay's backstop timer; commits that write an outbox row wake it at once. */
  readonly outboxPollIntervalMs: number;
  /** Outbox rows relayed per read. */
  readonly outboxBatchSize: number;
  /** Cancel orders worked on at once (Kafka: partitions consumed concurrently; in-process: calls in flight). */
  readonly workerConcurrency: number;
  /** Kafka: cancel orders of one partition worked on at once, never two for the same payment. */
  readonly cancelsPerPartition: number;
  /** Partitions of each reversal topic created by the switch (existing topics are left alone). */
  readonly topicPartitions: number;
  /**
   * Kafka consumer session timeout. A worker that vanished (crash, broker restart) holds its partitions
   * this long before the group hands them on, so it bounds the pause after an outage; it must exceed the
   * longest attempt (a cancel and a refund at ALIPAY_CALL_TIMEOUT_MS each), since heartbeats go between messages.
   */
  readonly sessionTimeoutMs: number;
}

/** Seed 004's "retry for 60 s", then about two hours of widening waits before a person is asked. */
export const DEFAULT_CANCEL_BACKOFF_MS: readonly number[] = [
  60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000,
];

// Demo-only secrets so `npm start` works with no setup; production refuses to start with them.
const DEMO_HASH_KEY = '5f0c6a1f9b8e4d2c7a3e1b0d9c8f7e6a5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a';
const DEMO_DATA_KEY = '0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9';

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const read = new EnvReader(env);
  const nodeEnv = read.string('NODE_ENV', 'development');
  const production = nodeEnv === 'production';

  const isoHost = read.string('ISO_HOST', '0.0.0.0');
  const listeners: IsoListenerConfig[] = [];
  const asciiPort = read.port('ISO_ASCII_PORT', 8583);
  const nacPort = read.port('ISO_NAC_PORT', 8584);
  if (read.boolean('ISO_ASCII_ENABLED', true))
    listeners.push({ dialect: 'ascii', host: isoHost, port: asciiPort });
  if (read.boolean('ISO_NAC_ENABLED', true))
    listeners.push({ dialect: 'nac-bcd', host: isoHost, port: nacPort });

  const databaseUrl = read.optionalString('DATABASE_URL');
  if (databaseUrl !== undefined && !/^mysql:\/\/[^/]+\/[A-Za-z0-9_$]+(\?.*)?$/.test(databaseUrl)) {
    read.problem('DATABASE_URL must look like mysql://user:password@host:port/database');
  }

  const merchantTimeoutMs = read.integer('MERCHANT_TIMEOUT_MS', 60_000, { min: 1 });
  const gatewayTimeoutMs = read.integer('GATEWAY_TIMEOUT_MS', 75_000, { min: 1 });
  if (gatewayTimeoutMs <= merchantTimeoutMs) {
    read.problem(
      `GATEWAY_TIMEOUT_MS (${gatewayTimeoutMs}) must be longer than MERCHANT_TIMEOUT_MS (${merchantTimeoutMs})`,
    );
  }

  const brokers = read.optionalString('KAFKA_BROKERS');
  const kafka = brokers
    ? {
        brokers: brokers.split(',').map((b) => b.trim()),
        clientId: read.string('KAFKA_CLIENT_ID', 'alipay-switch'),
        topicPrefix: read.string('KAFKA_TOPIC_PREFIX', 'switch'),
        ...readKafkaSecurity(read, production),
      }
    : undefined;
  if (kafka?.brokers.some((b) => !/^[^:\s]+:\d+$/.test(b)))
    read.problem('KAFKA_BROKERS must be host:port[,host:port]');

  const backoffText = read.optionalString('CANCEL_BACKOFF_MS');
  let cancelBackoffMs = DEFAULT_CANCEL_BACKOFF_MS;
  if (backoffText !== undefined) {
    // "none": no waits after the 60 s phase (an empty variable counts as unset).
    const steps = backoffText === 'none' ? [] : backoffText.split(',').map((step) => step.trim());
    if (steps.every((step) => /^\d{1,10}$/.test(step) && Number(step) >= 1))
      cancelBackoffMs = steps.map(Number);
    else
      read.problem(
        `CANCEL_BACKOFF_MS must be a comma-separated list of waits in ms (each >= 1) or "none", got "${backoffText}"`,
      );
  }
  const alipayCallTimeoutMs = read.integer('ALIPAY_CALL_TIMEOUT_MS', 5_000, { min: 1 });
  const cancelRetryWindowMs = read.integer('CANCEL_RETRY_WINDOW_MS', 60_000, { min: 0 });
  // "No such payment" confirms a cancel only once the pay cannot still be on its way: never before the
  // pay call's own timeout has run out (the floor), by default not before seed 004's window either.
  const cancelAbsentFinalAfterMs = read.integer(
    'CANCEL_ABSENT_FINAL_AFTER_MS',
    Math.max(cancelRetryWindowMs, alipayCallTimeoutMs),
  );
  if (cancelAbsentFinalAfterMs < alipayCallTimeoutMs)
    read.problem(
      `CANCEL_ABSENT_FINAL_AFTER_MS (${cancelAbsentFinalAfterMs}) must be at least ALIPAY_CALL_TIMEOUT_MS (${alipayCallTimeoutMs}): a pay still in flight would be taken for no payment`,
    );
  const reversals: ReversalsConfig = {
    cancelRetryIntervalMs: read.integer('CANCEL_RETRY_INTERVAL_MS', 7_500, { min: 1 }),
    cancelRetryWindowMs,
    cancelAbsentFinalAfterMs,
    cancelBackoffMs,
    outboxPollIntervalMs: read.integer('OUTBOX_POLL_INTERVAL_MS', 1_000, { min: 1 }),
    outboxBatchSize: read.integer('OUTBOX_BATCH_SIZE', 200, { min: 1, max: 5_000 }),
    workerConcurrency: read.integer('REVERSAL_WORKER_CONCURRENCY', 8, { min: 1, max: 256 }),
    cancelsPerPartition: read.integer('REVERSAL_CANCELS_PER_PARTITION', 8, { min: 1, max: 256 }),
    topicPartitions: read.integer('REVERSAL_TOPIC_PARTITIONS', 8, { min: 1, max: 256 }),
    // The broker refuses less than its group.min.session.timeout.ms (6 s by default).
    sessionTimeoutMs: read.integer('REVERSAL_SESSION_TIMEOUT_MS', 15_000, { min: 6_000, max: 300_000 }),
  };

  const hashKeyHex = read.optionalString('PAYMENT_CODE_HASH_KEY');
  const dataKeyHex = read.optionalString('DATA_ENCRYPTION_KEY');
  if (production && !hashKeyHex) read.problem('PAYMENT_CODE_HASH_KEY is required when NODE_ENV=production');
  if (production && !dataKeyHex) read.problem('DATA_ENCRYPTION_KEY is required when NODE_ENV=production');
  // Refused by value, not only when missing: the demo keys are public (they are in this repository).
  if (production && hashKeyHex?.toLowerCase() === DEMO_HASH_KEY)
    read.problem('PAYMENT_CODE_HASH_KEY is the demo key; production needs its own (64 random hex characters)');
  if (production && dataKeyHex?.toLowerCase() === DEMO_DATA_KEY)
    read.problem('DATA_ENCRYPTION_KEY is the demo key; production needs its own (64 random hex characters)');
  const security = readSecurityConfig(read, production);

  const notifications: NotificationsConfig = {
    enabled: read.boolean('NOTIFY_ENABLED', true),
    host: read.string('NOTIFY_HTTP_HOST', '0.0.0.0'),
    port: read.port('NOTIFY_HTTP_PORT', 8586),
    maxBodyBytes: read.integer('NOTIFY_MAX_BODY_BYTES', 65_536, { min: 1_024, max: 1_048_576 }),
    sandboxTimeScale: read.integer('SANDBOX_NOTIFY_SCALE_PERMILLE', 1_000, { min: 0, max: 1_000 }) / 1_000,
    tokenRefreshLeadMs: read.integer('ISV_TOKEN_REFRESH_LEAD_MS', 86_400_000, { min: 1_000 }),
  };

  const config: AppConfig = {
    env: nodeEnv,
    logLevel: read.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    http: { host: read.string('HTTP_HOST', '127.0.0.1'), port: read.port('HTTP_PORT', 3000) },
    iso: {
      listeners,
      maxFrameBytes: read.integer('ISO_MAX_FRAME_BYTES', 4096, { min: 64, max: 65535 }),
      idleTimeoutMs: read.integer('ISO_IDLE_TIMEOUT_MS', 300_000, { min: 1 }),
      // 10,000 signed-on terminals plus the busy ones (bench:sessions measures what each idle one costs).
      maxConnections: read.integer('ISO_MAX_CONNECTIONS', 12_000, { min: 1 }),
      maxInFlightPerConnection: read.integer('ISO_MAX_IN_FLIGHT', 64, { min: 1 }),
      shutdownGraceMs: read.integer('SHUTDOWN_GRACE_MS', 10_000, { min: 0 }),
      maxConnectionsPerSource: read.integer('ISO_MAX_CONNECTIONS_PER_SOURCE', 256, { min: 1 }),
      firstFrameTimeoutMs: read.integer('ISO_FIRST_FRAME_TIMEOUT_MS', 5_000, { min: 1, max: 600_000 }),
      refusalLogIntervalMs: read.integer('ISO_REFUSAL_LOG_INTERVAL_MS', 10_000, { min: 1, max: 3_600_000 }),
      ...readProxyProtocolFrom(read),
    },
    database: {
      kind: databaseUrl ? 'mysql' : 'sqlite',
      url: databaseUrl,
      poolSize: read.integer('DATABASE_POOL_SIZE', 64, { min: 1, max: 1_000 }),
      sqlitePath: read.string('SQLITE_PATH', 'var/switch.sqlite'),
      sqlMode: readSqlMode(read),
    },
    timeouts: {
      merchantTimeoutMs,
      gatewayTimeoutMs,
      alipayCallTimeoutMs,
      replyMarginMs: readReplyMargin(read, merchantTimeoutMs),
    },
    signOnThreadPool: read.boolean('ALIPAY_SIGN_ON_THREAD_POOL', false),
    inquiryIntervalsMs: {
      ams: read.integer('AMS_INQUIRY_INTERVAL_MS', 3_000, { min: 1 }),
      openapi: read.integer('OPENAPI_INQUIRY_INTERVAL_MS', 5_000, { min: 1 }),
      mapi: read.integer('MAPI_INQUIRY_INTERVAL_MS', 3_500, { min: 1 }),
      mapiFirst: read.integer('MAPI_FIRST_INQUIRY_MS', 3_500, { min: 1 }),
    },
    sandbox: {
      mode: read.oneOf('ALIPAY_SANDBOX', ['embedded', 'external', 'off'] as const, production ? 'off' : 'embedded'),
      url: read.string('ALIPAY_SANDBOX_URL', 'http://127.0.0.1:8585'),
      port: read.port('SANDBOX_PORT', 8585),
      noAnswerHoldMs: read.integer('SANDBOX_NO_ANSWER_HOLD_MS', 30_000, { min: 1 }),
    },
    secrets: {
      paymentCodeHashKey: read.key32('PAYMENT_CODE_HASH_KEY', production ? undefined : DEMO_HASH_KEY),
      dataEncryptionKey: read.key32('DATA_ENCRYPTION_KEY', production ? undefined : DEMO_DATA_KEY),
      ...readDataKeyRing(read, production ? [DEMO_DATA_KEY, DEMO_HASH_KEY] : []),
    },
    kafka,
    reversals,
    notifyBaseUrl: read.optionalString('NOTIFY_BASE_URL') ?? defaultNotifyBaseUrl(notifications),
    notifications,
    seedDemoData: read.boolean('SEED_DEMO_DATA', !production),
    security,
    operations: {
      readyMaxOutboxAgeMs: read.integer('READY_MAX_OUTBOX_AGE_MS', 60_000, { min: 1 }),
      retentionDays: read.integer('RETENTION_DAYS', 0, { min: 0, max: 36_500 }),
      retentionIntervalMs: read.integer('RETENTION_INTERVAL_MS', 3_600_000, { min: 1_000 }),
      retentionBatchSize: read.integer('RETENTION_BATCH_SIZE', 1_000, { min: 1, max: 100_000 }),
      requireValidCredentials: read.boolean('REQUIRE_VALID_CREDENTIALS', true),
    },
    admin: { bootstrapKey: adminBootstrapKey(read) },
    reconciliation: readReconciliationConfig(read),
    merchantApi: readMerchantApiConfig(read, { merchantTimeoutMs, gatewayTimeoutMs }),
    h5: readH5Config(read, { production, embeddedSandbox: read.string('ALIPAY_SANDBOX', production ? 'off' : 'embedded') === 'embedded' }),
    instance: readInstanceConfig(read),
  };
  if (production) refuseDemoParts(read, config);
  read.assertValid();
  return config;
}

/** NODE_ENV=production: no demo merchants and terminals, no in-process sandbox, no Alipay endpoint off the allow-list. */
function refuseDemoParts(read: EnvReader, config: AppConfig): void {
  if (config.seedDemoData) read.problem('SEED_DEMO_DATA must be false when NODE_ENV=production (demo terminals have no MAC)');
  if (config.sandbox.mode === 'embedded') read.problem('ALIPAY_SANDBOX=embedded is refused when NODE_ENV=production');
  const sandboxProblem = alipayEndpointProblem(config.sandbox.url, config.security.alipayEndpointHosts);
  if (config.sandbox.mode === 'external' && sandboxProblem) read.problem(`ALIPAY_SANDBOX_URL: ${sandboxProblem}`);
}

/** With no NOTIFY_BASE_URL, pay calls announce the listener on this host only (fit for the embedded sandbox). */
function defaultNotifyBaseUrl(n: NotificationsConfig): string | undefined {
  return n.enabled && n.port !== 0 ? `http://127.0.0.1:${n.port}` : undefined;
}

/** A key an operator chose, so it is held to the strength of a generated one (at least 32 characters). */
function adminBootstrapKey(read: EnvReader): string | undefined {
  const key = read.optionalString('ADMIN_BOOTSTRAP_KEY');
  if (key !== undefined && key.length < 32) read.problem('ADMIN_BOOTSTRAP_KEY must be at least 32 characters');
  return key;
}

/**
 * REPLY_MARGIN_MS: time kept for encoding and writing the "in doubt" answer. Under 10 ms a busy event loop
 * misses the deadline; over 10 s (or half the merchant timeout) the engine gives up on payments it could answer.
 */
function readReplyMargin(read: EnvReader, merchantTimeoutMs: number): number {
  const margin = read.integer('REPLY_MARGIN_MS', 250, { min: 10, max: 10_000 });
  if (margin * 2 > merchantTimeoutMs) {
    read.problem(`REPLY_MARGIN_MS (${margin}) must be at most half of MERCHANT_TIMEOUT_MS (${merchantTimeoutMs})`);
  }
  return margin;
}

/**
 * INSTANCE_ID defaults to host and pid, so every start is a new instance (its predecessor's payments are
 * taken over like any lapsed instance's); a stable id (a pod name) lets a restart resume its own leftovers.
 */
function readInstanceConfig(read: EnvReader): InstanceConfig {
  const id = read.optionalString('INSTANCE_ID') ?? defaultInstanceId();
  if (!INSTANCE_ID_PATTERN.test(id))
    read.problem(`INSTANCE_ID must be 1-64 letters, digits, '.', '_' or '-', got "${id}"`);
  // Under a second a busy event loop could miss renewals; over ten minutes a dead instance's payments wait too long.
  const leaseMs = read.integer('LEASE_MS', 15_000, { min: 1_000, max: 600_000 });
  return { id, leaseMs };
}

const INSTANCE_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

function defaultInstanceId(): string {
  const host = hostname().replace(/[^A-Za-z0-9._-]/g, '-');
  const pid = `-${process.pid}`;
  return `${host.slice(0, 64 - pid.length)}${pid}`;
}

function readProxyProtocolFrom(read: EnvReader): { proxyProtocolFrom?: SourceNetworks } {
  const text = read.optionalString('ISO_PROXY_PROTOCOL_FROM');
  if (text === undefined) return {};
  try {
    return { proxyProtocolFrom: SourceNetworks.parse(text) };
  } catch (err) {
    read.problem(`ISO_PROXY_PROTOCOL_FROM must list the load balancers' addresses or CIDRs: ${err instanceof Error ? err.message : String(err)}`);
    return {};
  }
}
