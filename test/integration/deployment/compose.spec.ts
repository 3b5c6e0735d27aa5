/**
 * docker/compose.yaml, docker/Dockerfile, docker/haproxy/haproxy.cfg and the cluster's Prometheus config
 * cannot be run on a machine without a Docker engine; this suite checks what can be checked without one:
 * every setting they give the switch is one its config reads and accepts, and every port, path and health
 * check they name is the one the code serves. haproxy and promtool (Debian's `haproxy` and `prometheus`,
 * which .ci/run installs) validate their files; without them this suite fails, never skips.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { loadConfig } from '../../../src/config/app-config';
import { HealthProbesController } from '../../../src/operations/health/health-probes.controller';
import { MetricsController } from '../../../src/operations/metrics/metrics.controller';

const ROOT = join(__dirname, '../../..');
const DOCKER = join(ROOT, 'docker');
const run = promisify(execFile);

/** Settings issue 13's engine side adds (branch scale-core); accepted by name until loadConfig reads them. */
const ENGINE_SETTINGS_PENDING = ['INSTANCE_ID', 'LEASE_MS'];

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string | number>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { disable?: boolean; test?: string[] };
  networks?: Record<string, { ipv4_address?: string }>;
}

const compose = parse(readFileSync(join(DOCKER, 'compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const services = compose.services;
const switchNames = Object.keys(services).filter((name) => /^switch-\d+$/.test(name));
const dockerfile = readFileSync(join(DOCKER, 'Dockerfile'), 'utf8');
const haproxyCfg = readFileSync(join(DOCKER, 'haproxy/haproxy.cfg'), 'utf8');
const packageScripts = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

const envOf = (service: ComposeService): Record<string, string> =>
  Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, String(v)]));

/** The Dockerfile's final stage: its ENV, EXPOSE, CMD and HEALTHCHECK lines. */
function runtimeStage(): {
  env: Record<string, string>;
  exposed: number[];
  cmd: string[];
  healthcheck: string;
} {
  const stage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const joined = stage.replace(/\\\n\s*/g, ' ');
  const env = Object.fromEntries([...joined.matchAll(/^ENV (\w+)=(\S+)$/gm)].map((m) => [m[1], m[2]]));
  const exposed = (/^EXPOSE (.+)$/m.exec(joined)?.[1] ?? '').split(/\s+/).map(Number);
  const cmd = JSON.parse(/^CMD (\[.+\])$/m.exec(joined)?.[1] ?? '[]') as string[];
  const healthcheck = /^HEALTHCHECK (.+)$/m.exec(joined)?.[1] ?? '';
  return { env, exposed, cmd, healthcheck };
}

/** loadConfig over `env`, with the names it read (it reads each setting it knows, set or not). */
function loadRecordingReads(env: Record<string, string>): {
  config: ReturnType<typeof loadConfig>;
  read: Set<string>;
} {
  const read = new Set<string>();
  const recording = new Proxy(env, {
    get: (target, name) => {
      if (typeof name === 'string') read.add(name);
      return target[name as string];
    },
  });
  return { config: loadConfig(recording), read };
}

/** `backend NAME` sections of haproxy.cfg: their servers (name, host, port) and check lines. */
function haproxyBackends(): Map<
  string,
  { servers: Array<{ name: string; host: string; port: number }>; lines: string[] }
> {
  const backends = new Map<
    string,
    { servers: Array<{ name: string; host: string; port: number }>; lines: string[] }
  >();
  let current: { servers: Array<{ name: string; host: string; port: number }>; lines: string[] } | undefined;
  for (const raw of haproxyCfg.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const section = /^(global|defaults|frontend|backend|resolvers|listen)\b\s*(\S*)/.exec(raw);
    if (section) {
      current = section[1] === 'backend' ? { servers: [], lines: [] } : undefined;
      if (current) backends.set(section[2], current);
      continue;
    }
    if (!current || !line) continue;
    current.lines.push(line);
    const server = /^server (\S+) ([^:\s]+):(\d+)/.exec(line);
    if (server) current.servers.push({ name: server[1], host: server[2], port: Number(server[3]) });
  }
  return backends;
}

/** `frontend NAME` -> the port it binds and the backend it sends to. */
function haproxyFrontends(): Array<{ name: string; port: number; backend: string }> {
  return [...haproxyCfg.matchAll(/^frontend (\S+)\n\s+bind :(\d+)\n\s+default_backend (\S+)/gm)].map((m) => ({
    name: m[1],
    port: Number(m[2]),
    backend: m[3],
  }));
}

async function tool(command: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout, stderr } = await run(command, args, { cwd });
    return stdout + stderr;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (e.code === 'ENOENT')
      throw new Error(
        `${command} is not installed: .ci/run installs it (apt-get install haproxy prometheus)`,
      );
    throw new Error(`${command} ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

describe('docker/compose.yaml', () => {
  it('runs at least two switch instances, each with its own INSTANCE_ID', () => {
    expect(switchNames.length).toBeGreaterThanOrEqual(2);
    const ids = switchNames.map((name) => envOf(services[name]).INSTANCE_ID);
    expect(ids).toEqual(switchNames);
    for (const name of switchNames) expect(services[name].build?.dockerfile).toBe('docker/Dockerfile');
  });

  it.each(switchNames)(
    '%s: every variable is a setting the switch reads, and the config accepts them all',
    (name) => {
      const env = { ...runtimeStage().env, ...envOf(services[name]) };
      const { read } = loadRecordingReads(env);
      const unknown = Object.keys(env).filter((k) => !read.has(k) && !ENGINE_SETTINGS_PENDING.includes(k));
      expect(unknown).toEqual([]);
      // INSTANCE_ID and LEASE_MS: once the engine side reads them, loadConfig above judges their values too.
      expect(Number.isInteger(Number(env.LEASE_MS)) && Number(env.LEASE_MS) > 0).toBe(true);
    },
  );

  it('starts the Alipay sandbox as `npm run sandbox` does, with settings tools/sandbox.ts reads', () => {
    const sandbox = services.sandbox;
    expect(packageScripts.sandbox).toContain(`node ${sandbox.command?.slice(1).join(' ')}`);
    expect(sandbox.command?.[0]).toBe('node');
    const source = readFileSync(join(ROOT, 'tools/sandbox.ts'), 'utf8');
    for (const name of Object.keys(envOf(sandbox)))
      expect(source).toMatch(new RegExp(`(env\\.${name}\\b|'${name}')`));
    const sandboxPort = envOf(sandbox).SANDBOX_PORT;
    for (const name of switchNames)
      expect(envOf(services[name]).ALIPAY_SANDBOX_URL).toBe(`http://sandbox:${sandboxPort}`);
  });

  it('gives the switch the MariaDB and the Kafka broker it defines', () => {
    const db = envOf(services.mariadb);
    const kafka = envOf(services.kafka);
    expect(kafka.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(services.kafka.image).toMatch(/^apache\/kafka:/);
    for (const name of switchNames) {
      const env = envOf(services[name]);
      expect(env.DATABASE_URL).toBe(
        `mysql://${db.MARIADB_USER}:${db.MARIADB_PASSWORD}@mariadb:3306/${db.MARIADB_DATABASE}`,
      );
      expect(kafka.KAFKA_ADVERTISED_LISTENERS).toBe(`PLAINTEXT://${env.KAFKA_BROKERS}`);
    }
  });

  it('lets one instance migrate first: the others wait until it is healthy', () => {
    const [first, ...others] = switchNames;
    expect(services[first].depends_on).not.toHaveProperty(first);
    for (const name of others)
      expect(services[name].depends_on).toHaveProperty([first, 'condition'], 'service_healthy');
  });
});

describe('ports and health checks agree with the code', () => {
  const configs = switchNames.map((name) => loadConfig({ ...runtimeStage().env, ...envOf(services[name]) }));

  it('the switch serves GET /health/ready and GET /metrics (the routes HAProxy, Docker and Prometheus call)', () => {
    const route = (controller: object, method: string) =>
      `/${Reflect.getMetadata('path', controller) as string}/${Reflect.getMetadata('path', (controller as { prototype: Record<string, object> }).prototype[method]) as string}`.replace(
        /\/+$/,
        '',
      );
    expect(route(HealthProbesController, 'ready')).toBe('/health/ready');
    expect(route(MetricsController, 'scrape')).toBe('/metrics');
  });

  it("HAProxy sends each dialect to that dialect's ISO port on every instance, checked on /health/ready at the HTTP port", () => {
    const backends = haproxyBackends();
    const frontends = haproxyFrontends();
    const published = (services.haproxy.ports ?? []).map((p) => Number(p.split(':').pop()));
    expect(services.haproxy.image).toMatch(/^haproxy:\d/);
    expect(services.haproxy.volumes).toContain('./haproxy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro');
    const defaults = /^defaults\n([\s\S]*?)\n\n/m.exec(haproxyCfg)?.[1] ?? '';
    expect(defaults).toMatch(/mode tcp/);
    for (const config of configs) {
      const port = (dialect: string) => config.iso.listeners.find((l) => l.dialect === dialect)?.port;
      const expected: Record<string, number | undefined> = {
        switch_iso_ascii: port('ascii'),
        switch_iso_nac_bcd: port('nac-bcd'),
        switch_notifications: config.notifications.port,
      };
      for (const [backend, servicePort] of Object.entries(expected)) {
        const section = backends.get(backend);
        expect(section?.servers.map((s) => s.host).sort()).toEqual([...switchNames].sort());
        expect(section?.servers.every((s) => s.port === servicePort && s.name === s.host)).toBe(true);
        expect(section?.lines).toEqual(
          expect.arrayContaining([
            'option httpchk',
            'http-check send meth GET uri /health/ready',
            'http-check expect status 200',
          ]),
        );
        // The frontend for this backend listens on the same port, published by the compose file.
        const frontend = frontends.find((f) => f.backend === backend);
        expect(frontend?.port).toBe(servicePort);
        expect(published).toContain(servicePort);
      }
      expect(defaults).toMatch(new RegExp(`default-server .*\\bcheck port ${config.http.port}\\b`));
      expect(config.http.host).toBe('0.0.0.0');
      expect(config.iso.listeners.every((l) => l.host === '0.0.0.0')).toBe(true);
      expect(config.notifyBaseUrl).toBe(`http://haproxy:${config.notifications.port}`);
    }
  });

  it("HAProxy names each terminal in a PROXY v2 header on the ISO backends only, and the instances believe it from HAProxy's address only", () => {
    const backends = haproxyBackends();
    const serverLines = (backend: string) => (backends.get(backend)?.lines ?? []).filter((l) => l.startsWith('server '));
    for (const backend of ['switch_iso_ascii', 'switch_iso_nac_bcd'])
      expect(serverLines(backend).every((l) => /\bsend-proxy-v2\b/.test(l)) && serverLines(backend).length > 0).toBe(true);
    // The notification listener is HTTP and reads no PROXY header.
    expect(serverLines('switch_notifications').some((l) => /send-proxy/.test(l))).toBe(false);
    const haproxyAddress = services.haproxy.networks?.default?.ipv4_address;
    expect(haproxyAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    for (const config of configs) {
      expect(config.iso.proxyProtocolFrom?.allows(haproxyAddress)).toBe(true);
      expect(config.iso.proxyProtocolFrom?.allows(haproxyAddress!.replace(/\d+$/, (n) => String(Number(n) + 1)))).toBe(false);
    }
  });

  it('the Dockerfile exposes the HTTP, ISO and notification ports, checks /health/ready and runs `npm start`', () => {
    const stage = runtimeStage();
    // The image alone is a production one: it refuses the demo keys until it is given its own.
    expect(() => loadConfig(stage.env)).toThrow(/PAYMENT_CODE_HASH_KEY is required when NODE_ENV=production/);
    const defaults = loadConfig({});
    const wanted = [
      defaults.http.port,
      ...defaults.iso.listeners.map((l) => l.port),
      defaults.notifications.port,
    ];
    expect([...stage.exposed].sort()).toEqual([...wanted].sort());
    for (const config of configs) {
      expect(config.http.port).toBe(defaults.http.port);
      expect(config.iso.listeners.map((l) => l.port)).toEqual(defaults.iso.listeners.map((l) => l.port));
    }
    expect(stage.healthcheck).toContain(`(process.env.HTTP_PORT || ${defaults.http.port}) + '/health/ready'`);
    expect(packageScripts.start).toBe(stage.cmd.join(' '));
    expect(dockerfile).toMatch(/^FROM node:20-slim AS runtime$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^RUN npm run build$/m);
    expect(packageScripts.build).toMatch(/^rm -rf dist && swc /);
  });

  it('Prometheus scrapes /metrics of every instance at the HTTP port and loads the alert rules that exist', async () => {
    const prometheus = services.prometheus;
    const configFile = /--config\.file=\/etc\/prometheus\/(\S+)/.exec(
      (prometheus.command ?? []).join(' '),
    )?.[1];
    expect(prometheus.volumes).toContain('./prometheus:/etc/prometheus:ro');
    const scrape = parse(readFileSync(join(DOCKER, 'prometheus', configFile ?? 'missing'), 'utf8')) as {
      rule_files: string[];
      scrape_configs: Array<{ metrics_path: string; static_configs: Array<{ targets: string[] }> }>;
    };
    const job = scrape.scrape_configs[0];
    expect(job.metrics_path).toBe('/metrics');
    expect(job.static_configs.flatMap((c) => c.targets).sort()).toEqual(
      switchNames.map((name, i) => `${name}:${configs[i].http.port}`).sort(),
    );
    expect(scrape.rule_files).toEqual(['alerts.yml']);
    for (const file of scrape.rule_files) expect(existsSync(join(DOCKER, 'prometheus', file))).toBe(true);
    const dir = join(DOCKER, 'prometheus');
    expect(await tool('promtool', ['check', 'config', configFile ?? 'missing'], dir)).toMatch(
      /is valid prometheus config/,
    );
    expect(await tool('promtool', ['check', 'rules', ...scrape.rule_files], dir)).toMatch(
      /SUCCESS: \d+ rules found/,
    );
  });

  it('haproxy -c accepts docker/haproxy/haproxy.cfg', async () => {
    // The switch-N names resolve only on the compose network; here the servers start disabled (a warning).
    // Debian installs it in /usr/sbin, which a non-login PATH may lack.
    const haproxy = existsSync('/usr/sbin/haproxy') ? '/usr/sbin/haproxy' : 'haproxy';
    expect(await tool(haproxy, ['-c', '-f', 'haproxy.cfg'], join(DOCKER, 'haproxy'))).toMatch(
      /Configuration file is valid/,
    );
  });
});
