import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { SaferoadsError } from '../errors.js';

// Services type their metrics without depending on prom-client themselves.
export type { Counter, Gauge, Histogram } from 'prom-client';

/** Every metric a Saferoads service defines starts with this, so one query finds them all. */
export const METRIC_PREFIX = 'saferoads_';

export interface MetricOptions<L extends string> {
  /** Without the prefix, e.g. `loop_ingest_batches_total`. */
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly L[];
}

export interface HistogramOptions<L extends string> extends MetricOptions<L> {
  /** Upper bounds of the buckets; prom-client's defaults (5 ms to 10 s) when absent. */
  readonly buckets?: readonly number[];
}

export interface ServiceMetricsOptions {
  /** Node.js process metrics (CPU, memory, event-loop lag, GC); on by default, off for small tests. */
  readonly defaultMetrics?: boolean;
}

/**
 * A service's own Prometheus registry (never the global one, so tests and the embedded pipeline
 * can build several services in one process), labelled with the service name.
 */
export class ServiceMetrics {
  readonly registry: Registry;

  constructor(
    readonly service: string,
    opts: ServiceMetricsOptions = {},
  ) {
    this.registry = new Registry();
    this.registry.setDefaultLabels({ service });
    if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** A counter; its name must end in `_total`, as Prometheus' conventions (and OpenMetrics) require. */
  counter<L extends string = never>(opts: MetricOptions<L>): Counter<L> {
    if (!opts.name.endsWith('_total')) throw new SaferoadsError('CONFIG_INVALID', `counter ${opts.name}: a counter's name must end in _total`);
    return new Counter<L>({ name: METRIC_PREFIX + opts.name, help: opts.help, labelNames: opts.labelNames ?? [], registers: [this.registry] });
  }

  gauge<L extends string = never>(opts: MetricOptions<L>): Gauge<L> {
    return new Gauge<L>({ name: METRIC_PREFIX + opts.name, help: opts.help, labelNames: opts.labelNames ?? [], registers: [this.registry] });
  }

  histogram<L extends string = never>(opts: HistogramOptions<L>): Histogram<L> {
    return new Histogram<L>({
      name: METRIC_PREFIX + opts.name,
      help: opts.help,
      labelNames: opts.labelNames ?? [],
      ...(opts.buckets && { buckets: [...opts.buckets] }),
      registers: [this.registry],
    });
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
