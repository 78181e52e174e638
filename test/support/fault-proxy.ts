/**
 * A TCP fault proxy for the resilience tests and the chaos suite: a process
 * (an agent) connects to `127.0.0.1:port` instead of the real endpoint (the
 * api, a database), and the test cuts and restores the link at will.
 *
 *   const p = await FaultProxy.start('127.0.0.1', 5432);
 *   p.cut('drop');   // packets vanish: open connections hang, new ones are accepted and hang
 *   p.cut('reset');  // connections are reset, new ones are refused
 *   p.restore();     // cut connections are closed (their byte streams lost data), new ones work
 *   await p.stop();
 *
 * 'drop' is what a network partition looks like to both ends (nobody gets a
 * FIN or RST; keepalives and timeouts must notice); 'reset' is a firewall
 * rejecting, or a peer restarting.
 */
import net from 'node:net';

export type CutMode = 'drop' | 'reset';

interface Link {
  client: net.Socket;
  upstream: net.Socket | null;
  /** Saw a cut: its streams lost bytes, so it is closed on restore. */
  tainted: boolean;
}

export class FaultProxy {
  private readonly links = new Set<Link>();
  private mode: CutMode | null = null;
  /** How many connections were accepted, and how many cuts happened (for reports). */
  accepted = 0;
  cuts = 0;

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
    readonly target: { host: string; port: number },
  ) {}

  static async start(host: string, port: number, listenPort = 0): Promise<FaultProxy> {
    let self: FaultProxy | null = null;
    const server = net.createServer((client) => self!.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listenPort, '127.0.0.1', () => resolve());
    });
    self = new FaultProxy(server, (server.address() as net.AddressInfo).port, { host, port });
    return self;
  }

  get isCut(): boolean {
    return this.mode !== null;
  }

  /** `host:port` to hand to the process under test. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  cut(mode: CutMode = 'drop'): void {
    this.mode = mode;
    this.cuts += 1;
    for (const l of this.links) {
      l.tainted = true;
      if (mode === 'reset') this.close(l, true);
    }
  }

  restore(): void {
    this.mode = null;
    for (const l of [...this.links]) if (l.tainted) this.close(l, true);
  }

  async stop(): Promise<void> {
    for (const l of [...this.links]) this.close(l, true);
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private accept(client: net.Socket): void {
    this.accepted += 1;
    client.on('error', () => undefined);
    if (this.mode === 'reset') {
      client.resetAndDestroy();
      return;
    }
    const link: Link = { client, upstream: null, tainted: this.mode === 'drop' };
    this.links.add(link);
    client.on('close', () => this.close(link, false));
    if (link.tainted) {
      // Accepted, then silence: the client's connect succeeds and nothing ever answers.
      client.on('data', () => undefined);
      return;
    }
    const up = net.connect(this.target.port, this.target.host);
    link.upstream = up;
    up.on('error', () => undefined);
    up.on('close', () => this.close(link, false));
    client.on('data', (b: Buffer) => {
      if (!this.mode && !link.tainted) up.write(b);
    });
    up.on('data', (b: Buffer) => {
      if (!this.mode && !link.tainted) client.write(b);
    });
  }

  private close(l: Link, reset: boolean): void {
    if (!this.links.delete(l)) return;
    if (reset) {
      l.client.resetAndDestroy();
      l.upstream?.resetAndDestroy();
    } else {
      l.client.destroy();
      l.upstream?.destroy();
    }
  }
}
