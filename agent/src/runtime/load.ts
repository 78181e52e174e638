/** CPU (cores busy since the last sample, process-wide) and RSS, for heartbeats. */
export class LoadSampler {
  private lastCpu = process.cpuUsage();
  private lastAt = process.hrtime.bigint();

  sample(): { cpu: number; rssBytes: number } {
    const cpu = process.cpuUsage();
    const at = process.hrtime.bigint();
    const wallUs = Number(at - this.lastAt) / 1_000;
    const usedUs = cpu.user - this.lastCpu.user + (cpu.system - this.lastCpu.system);
    this.lastCpu = cpu;
    this.lastAt = at;
    const cores = wallUs > 0 ? Math.max(0, usedUs / wallUs) : 0;
    return { cpu: Math.round(cores * 1000) / 1000, rssBytes: Math.min(process.memoryUsage.rss(), 2 ** 31 - 1) };
  }
}
