/** Fixed-window counters in Redis, shared by every api process. */
import type { Redis } from 'ioredis';
import { AppError } from '../errors';
import { sha256 } from './tokens';

export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Counts one hit; throws FORBIDDEN (reason RATE_LIMITED) once `limit` hits happened within `windowSec`. */
  async hit(bucket: string, subject: string, limit: number, windowSec: number, what: string): Promise<void> {
    const key = `${this.prefix}:rl:${bucket}:${sha256(subject).slice(0, 32)}`;
    const r = await this.redis
      .multi()
      .incr(key)
      .expire(key, windowSec, 'NX')
      .pttl(key)
      .exec()
      .catch(() => {
        throw AppError.unavailable(
          'the rate limiter (Redis) is unreachable, so nothing was changed: check that Redis is running and reachable at REDIS_URL, then try again',
        );
      });
    const count = Number(r?.[0]?.[1] ?? 0);
    const ttlMs = Number(r?.[2]?.[1] ?? windowSec * 1000);
    if (count > limit) {
      const retry = Math.max(1, Math.ceil(ttlMs / 1000));
      throw AppError.forbidden(`too many ${what}: try again in ${retry} seconds`, { reason: 'RATE_LIMITED', retryAfterSeconds: retry });
    }
  }

  async reset(bucket: string, subject: string): Promise<void> {
    await this.redis.del(`${this.prefix}:rl:${bucket}:${sha256(subject).slice(0, 32)}`);
  }
}
