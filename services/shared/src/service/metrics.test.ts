import { describe, expect, it } from 'vitest';
import { ServiceMetrics } from './metrics.js';

describe('ServiceMetrics', () => {
  it('prefixes counters, gauges and histograms and labels them with the service', async () => {
    const m = new ServiceMetrics('svc', { defaultMetrics: false });
    m.counter({ name: 'things_total', help: 'things', labelNames: ['kind'] }).inc({ kind: 'a' }, 2);
    m.gauge({ name: 'queue_depth', help: 'depth' }).set(7);
    m.histogram({ name: 'latency_seconds', help: 'latency', buckets: [0.1, 1] }).observe(0.5);
    const lines = (await m.text()).split('\n');
    expect(lines).toContain('saferoads_things_total{kind="a",service="svc"} 2');
    expect(lines).toContain('saferoads_queue_depth{service="svc"} 7');
    expect(lines).toContain('saferoads_latency_seconds_bucket{le="0.1",service="svc"} 0');
    expect(lines).toContain('saferoads_latency_seconds_bucket{le="1",service="svc"} 1');
    expect(lines).toContain('saferoads_latency_seconds_count{service="svc"} 1');
    expect(m.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('refuses a counter whose name does not end in _total', () => {
    const m = new ServiceMetrics('svc', { defaultMetrics: false });
    expect(() => m.counter({ name: 'things', help: 'things' })).toThrow('counter things: a counter\'s name must end in _total');
  });

  it('keeps each service in its own registry, so two services share a process', async () => {
    const a = new ServiceMetrics('a', { defaultMetrics: false });
    const b = new ServiceMetrics('b', { defaultMetrics: false });
    a.counter({ name: 'same_total', help: 'x' }).inc();
    b.counter({ name: 'same_total', help: 'x' }).inc(3);
    expect((await a.text()).split('\n')).toContain('saferoads_same_total{service="a"} 1');
    expect((await b.text()).split('\n')).toContain('saferoads_same_total{service="b"} 3');
  });

  it('collects Node.js process metrics by default', async () => {
    const withDefaults = await new ServiceMetrics('svc').text();
    const without = await new ServiceMetrics('svc2', { defaultMetrics: false }).text();
    expect(withDefaults).toMatch(/^process_cpu_user_seconds_total\{service="svc"\} /m);
    expect(withDefaults).toMatch(/^nodejs_heap_size_used_bytes\{service="svc"\} /m);
    expect(without).toBe('\n');
  });
});
