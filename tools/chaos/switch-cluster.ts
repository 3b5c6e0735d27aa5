/**
 * N switch instances of the chaos run on one database and one Kafka, each on ports of its own that it keeps
 * across restarts. Every start is a new generation with a new INSTANCE_ID (`chaos-<n>-g<generation>`), as a
 * process with the default id (host and pid) would be: what a killed generation owned must be taken over by
 * a live one, and the final check can tell a dead owner from a live one.
 */
import { freePort } from '../bench/switch-process';
import { startSwitchChild, type SwitchChild } from './switch-child';

export interface ClusterPorts {
  ascii: number;
  'nac-bcd': number;
  notify: number;
}

interface Member {
  ports: ClusterPorts;
  generation: number;
  child?: SwitchChild;
}

/** How long a SIGTERMed instance may take to drain and exit before it counts as hung (then SIGKILLed). */
const DRAIN_LIMIT_MS = 30_000;

export class SwitchCluster {
  private constructor(
    private readonly main: string,
    private readonly env: Record<string, string>,
    private readonly members: Member[],
  ) {}

  /** Picks the ports; starts nothing. */
  static async plan(main: string, env: Record<string, string>, instances: number): Promise<SwitchCluster> {
    const members: Member[] = [];
    for (let i = 0; i < instances; i += 1)
      members.push({
        ports: { ascii: await freePort(), 'nac-bcd': await freePort(), notify: await freePort() },
        generation: 0,
      });
    return new SwitchCluster(main, env, members);
  }

  get size(): number {
    return this.members.length;
  }

  /** The ISO port of every instance for one dialect, in instance order. */
  ports(dialect: 'ascii' | 'nac-bcd'): number[] {
    return this.members.map((m) => m.ports[dialect]);
  }

  /** Starts every instance: the first alone (it runs the migrations), then the others one by one. */
  async startAll(): Promise<void> {
    for (let i = 0; i < this.members.length; i += 1) await this.start(i);
  }

  async start(index: number): Promise<void> {
    const member = this.members[index];
    member.generation += 1;
    member.child = await startSwitchChild(this.main, {
      ...this.env,
      INSTANCE_ID: this.instanceId(index),
      ISO_ASCII_PORT: String(member.ports.ascii),
      ISO_NAC_PORT: String(member.ports['nac-bcd']),
      NOTIFY_HTTP_PORT: String(member.ports.notify),
    });
  }

  async kill(index: number): Promise<void> {
    await this.members[index].child?.kill('SIGKILL');
  }

  /**
   * SIGTERM and wait for the exit. Returns a problem when the instance did not exit within the drain limit
   * (it is SIGKILLed then) or exited with a code other than 0.
   */
  async terminate(index: number): Promise<string | undefined> {
    const child = this.members[index].child;
    if (!child) return undefined;
    const id = this.instanceId(index);
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      child.child.kill('SIGKILL');
    }, DRAIN_LIMIT_MS);
    await child.kill('SIGTERM');
    clearTimeout(timer);
    if (hung) return `${id} did not exit within ${DRAIN_LIMIT_MS / 1000} s of SIGTERM`;
    const code = child.child.exitCode;
    return code === 0 ? undefined : `${id} exited with ${code ?? child.child.signalCode} after SIGTERM`;
  }

  /** The admin/health HTTP address of the first instance running now. */
  httpUrl(): string {
    const live = this.members.find(
      (m) => m.child && m.child.child.exitCode === null && m.child.child.signalCode === null,
    );
    if (!live?.child) throw new Error('no switch instance is running');
    return live.child.httpUrl;
  }

  /** The ids of the generations running now. */
  liveInstanceIds(): string[] {
    return this.members.flatMap((m, i) =>
      m.child && m.child.child.exitCode === null && m.child.child.signalCode === null
        ? [this.instanceId(i)]
        : [],
    );
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.members.map((m) => m.child?.kill('SIGTERM') ?? Promise.resolve()));
  }

  private instanceId(index: number): string {
    return `chaos-${index + 1}-g${this.members[index].generation}`;
  }
}
