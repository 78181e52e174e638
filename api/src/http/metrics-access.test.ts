import { describe, expect, it } from 'vitest';
import { metricsAccess } from './metrics-access';

const token = 'metrics-token-0123456789';
describe('metricsAccess', () => {
  it('public outside production without a token; disabled in production without one', () => {
    expect(metricsAccess({ NODE_ENV: 'development', METRICS_TOKEN: undefined }, undefined)).toBeNull();
    expect(metricsAccess({ NODE_ENV: 'production', METRICS_TOKEN: undefined }, undefined)?.status).toBe(403);
  });
  it('with a token, only the right bearer token passes', () => {
    for (const env of ['development', 'production'] as const) {
      expect(metricsAccess({ NODE_ENV: env, METRICS_TOKEN: token }, undefined)?.status).toBe(401);
      expect(metricsAccess({ NODE_ENV: env, METRICS_TOKEN: token }, 'Bearer wrong')?.status).toBe(401);
      expect(metricsAccess({ NODE_ENV: env, METRICS_TOKEN: token }, `Bearer ${token}`)).toBeNull();
    }
  });
});
