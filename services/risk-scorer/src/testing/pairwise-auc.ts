/**
 * Positives above negatives over all pairs, ties counting half: the definition of the ROC AUC,
 * by brute force, for tests to check the fast computations against. Counted in halves so that
 * the sum is an exact integer and the quotient the correctly rounded one; null without both labels.
 */
export function pairwiseAuc(y: readonly number[], s: readonly number[]): number | null {
  let twiceWins = 0;
  let pairs = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 1) continue;
    for (let j = 0; j < y.length; j++) {
      if (y[j] !== 0) continue;
      pairs++;
      twiceWins += s[i] > s[j] ? 2 : s[i] === s[j] ? 1 : 0;
    }
  }
  return pairs === 0 ? null : twiceWins / (2 * pairs);
}
