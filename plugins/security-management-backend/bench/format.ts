// How the benchmarks' tables write their figures.

/** Milliseconds, two decimals under 10 ms and one above; 'n/a' if not measured. */
export const ms = (value: number) =>
  Number.isFinite(value) ? `${value.toFixed(value < 10 ? 2 : 1)} ms` : 'n/a';

/** A whole number with thousands separators. */
export const num = (value: number) => Math.round(value).toLocaleString('en-US');

/** `value` as a multiple of `floor`, e.g. '1.25×'. */
export const ratio = (value: number, floor: number) =>
  floor > 0 ? `${(value / floor).toFixed(2)}×` : 'n/a';
