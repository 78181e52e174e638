/**
 * A TCP load balancer for the scale-out tests: new connections go round-robin to the upstreams
 * that accept them (a refused upstream is skipped), so agents given this one address spread
 * across api processes and, when one dies, reconnect to the others.
 */
import net from 'node:net';

export class TcpBalancer {
  private rr = 0;
  private readonly open = new Set<net.Socket>();
  private constructor(
    private readonly server: net.Server,
    readonly port: number,
    readonly upstreams: { host: string; port: number }[],
  ) {}

  static async start(upstreams: { host: string; port: number }[]): Promise<TcpBalancer> {
    let self: TcpBalancer | null = null;
    const server = net.createServer((c) => self!.accept(c, 0));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    self = new TcpBalancer(server, (server.address() as net.AddressInfo).port, upstreams);
    return self;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private accept(client: net.Socket, tried: number): void {
    client.on('error', () => undefined);
    client.pause();
    const target = this.upstreams[this.rr++ % this.upstreams.length]!;
    const up = net.connect(target.port, target.host);
    up.once('error', () => {
      up.destroy();
      if (tried + 1 < this.upstreams.length && !client.destroyed) this.accept(client, tried + 1);
      else client.destroy();
    });
    up.once('connect', () => {
      up.on('error', () => client.destroy());
      for (const s of [client, up]) {
        this.open.add(s);
        s.on('close', () => this.open.delete(s));
      }
      client.on('close', () => up.destroy());
      up.on('close', () => client.destroy());
      client.pipe(up);
      up.pipe(client);
      client.resume();
    });
  }

  async stop(): Promise<void> {
    for (const s of this.open) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
