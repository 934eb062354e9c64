import type { Rng } from '../random/rng.js';

/**
 * Multiplicative demand noise: exp of an Ornstein-Uhlenbeck process. Real demand wanders
 * around its profile for minutes at a time (a coach group, a ferry arrival at the border),
 * which Poisson arrivals alone do not reproduce.
 */
export class DemandNoise {
  private x: number;

  constructor(
    private readonly rng: Rng,
    private readonly sigma = 0.06,
    private readonly tauS = 600,
  ) {
    this.x = sigma * rng.normal();
  }

  /** Advances by dtS seconds and returns the factor to apply. */
  next(dtS: number): number {
    const a = Math.exp(-dtS / this.tauS);
    this.x = this.x * a + this.sigma * Math.sqrt(1 - a * a) * this.rng.normal();
    return Math.exp(this.x - 0.5 * this.sigma * this.sigma);
  }
}
