/**
 * Simple Imaging Polynomial distortion (Shupe et al. 2005, ADASS XIV 491): pixel offsets (u, v)
 * from CRPIX are distorted to u + f(u, v), v + g(u, v) before the linear transformation, with
 * f = Σ A_p_q u^p v^q and g = Σ B_p_q u^p v^q for p + q ≤ A_ORDER (B_ORDER).
 *
 * As astropy does, the polynomials are applied when A_ORDER > 1 and B_ORDER > 1 whether or not
 * CTYPE ends in '-SIP'. The inverse is exact: AP_p_q/BP_p_q (when present) give the first guess
 * and Newton's method on the forward polynomials finishes it.
 */
import type { HeaderLike } from '../types.js';
import { numberCard } from './linear.js';

interface Term {
  p: number;
  q: number;
  c: number;
}

export interface SipDistortion {
  a: Term[];
  b: Term[];
  ap: Term[] | undefined;
  bp: Term[] | undefined;
}

/** The largest order read: A_ORDER is untrusted input and the term count grows as order². */
const MAX_ORDER = 9;

function readTerms(header: HeaderLike, prefix: string, order: number): Term[] {
  const terms: Term[] = [];
  for (let p = 0; p <= order; p++) {
    for (let q = 0; q <= order - p; q++) {
      const c = numberCard(header, `${prefix}_${p}_${q}`);
      if (c !== undefined && c !== 0) terms.push({ p, q, c });
    }
  }
  return terms;
}

/** The SIP polynomials of a header, undefined when it has none, null when they are unusable. */
export function readSip(header: HeaderLike): SipDistortion | undefined | null {
  const aOrder = numberCard(header, 'A_ORDER');
  const bOrder = numberCard(header, 'B_ORDER');
  if (aOrder === undefined || aOrder <= 1) return bOrder !== undefined && bOrder > 1 ? null : undefined;
  if (bOrder === undefined || !Number.isInteger(aOrder) || !Number.isInteger(bOrder)) return null;
  if (aOrder > MAX_ORDER || bOrder > MAX_ORDER) return null;
  // astropy drops the whole distortion when B_ORDER ≤ 1 although A_ORDER > 1.
  if (bOrder <= 1) return undefined;
  const apOrder = numberCard(header, 'AP_ORDER');
  const bpOrder = numberCard(header, 'BP_ORDER');
  const hasInverse =
    apOrder !== undefined &&
    bpOrder !== undefined &&
    apOrder > 1 &&
    bpOrder > 1 &&
    apOrder <= MAX_ORDER &&
    bpOrder <= MAX_ORDER;
  return {
    a: readTerms(header, 'A', aOrder),
    b: readTerms(header, 'B', bOrder),
    ap: hasInverse ? readTerms(header, 'AP', apOrder) : undefined,
    bp: hasInverse ? readTerms(header, 'BP', bpOrder) : undefined,
  };
}

function evaluate(terms: Term[], u: number, v: number): number {
  let sum = 0;
  for (const { p, q, c } of terms) sum += c * u ** p * v ** q;
  return sum;
}

/** ∂/∂u and ∂/∂v of Σ c u^p v^q. */
function gradient(terms: Term[], u: number, v: number): [number, number] {
  let du = 0;
  let dv = 0;
  for (const { p, q, c } of terms) {
    if (p > 0) du += c * p * u ** (p - 1) * v ** q;
    if (q > 0) dv += c * q * u ** p * v ** (q - 1);
  }
  return [du, dv];
}

/** Undistorted pixel offsets (u, v) → distorted offsets, as they enter the CD matrix. */
export function applySip(sip: SipDistortion, u: number, v: number): [number, number] {
  return [u + evaluate(sip.a, u, v), v + evaluate(sip.b, u, v)];
}

/**
 * Distorted offsets (U, V) → pixel offsets (u, v) with applySip(u, v) = (U, V) to 1e-10 pixel,
 * or null when Newton's method does not converge (far outside the fitted field).
 */
export function invertSip(sip: SipDistortion, U: number, V: number): [number, number] | null {
  let u = U;
  let v = V;
  if (sip.ap !== undefined && sip.bp !== undefined) {
    u = U + evaluate(sip.ap, U, V);
    v = V + evaluate(sip.bp, U, V);
  }
  for (let iteration = 0; iteration < 100; iteration++) {
    const [fu, fv] = applySip(sip, u, v);
    const ru = fu - U;
    const rv = fv - V;
    if (Math.abs(ru) < 1e-10 && Math.abs(rv) < 1e-10) return [u, v];
    const [au, av] = gradient(sip.a, u, v);
    const [bu, bv] = gradient(sip.b, u, v);
    // Jacobian of (u + f, v + g).
    const j11 = 1 + au;
    const j12 = av;
    const j21 = bu;
    const j22 = 1 + bv;
    const det = j11 * j22 - j12 * j21;
    if (!Number.isFinite(det) || det === 0) return null;
    u -= (j22 * ru - j12 * rv) / det;
    v -= (-j21 * ru + j11 * rv) / det;
    if (!Number.isFinite(u) || !Number.isFinite(v)) return null;
  }
  const [fu, fv] = applySip(sip, u, v);
  return Math.abs(fu - U) < 1e-8 && Math.abs(fv - V) < 1e-8 ? [u, v] : null;
}
