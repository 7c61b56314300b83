/**
 * The spherical rotation between native (φ, θ) and celestial (α, δ) coordinates, Paper II §2.3–2.4,
 * with the celestial pole derived from CRVAL, the fiducial point (φ0, θ0), LONPOLE and LATPOLE.
 * All angles in degrees.
 */

const DEG = Math.PI / 180;

export interface CelestialPole {
  /** Celestial coordinates of the native pole. */
  alphaP: number;
  deltaP: number;
  /** Native longitude of the celestial pole (LONPOLE). */
  phiP: number;
}

/** Wraps an angle into [0, 360). */
export function wrap360(angle: number): number {
  const wrapped = angle % 360;
  return wrapped < 0 ? wrapped + 360 : wrapped === 360 ? 0 : wrapped;
}

/** Wraps an angle into [-180, 180]. */
export function wrap180(angle: number): number {
  if (angle >= -180 && angle <= 180) return angle;
  const wrapped = wrap360(angle);
  return wrapped > 180 ? wrapped - 360 : wrapped;
}

/**
 * The native pole's celestial coordinates (Paper II eqs 8–10). LONPOLE defaults to 0° when
 * δ0 ≥ θ0 and 180° otherwise; LATPOLE (default +90°) picks between the two solutions for δp when
 * θ0 ≠ 90°. Returns null when CRVAL cannot be reached from the fiducial point with this LONPOLE.
 */
export function celestialPole(
  alpha0: number,
  delta0: number,
  phi0: number,
  theta0: number,
  lonpole: number | undefined,
  latpole: number | undefined,
): CelestialPole | null {
  const phiP = lonpole ?? (delta0 >= theta0 ? 0 : 180);
  if (theta0 === 90) return { alphaP: alpha0, deltaP: delta0, phiP };

  const dPhi = (phiP - phi0) * DEG;
  const sinTheta0 = Math.sin(theta0 * DEG);
  const cosTheta0 = Math.cos(theta0 * DEG);
  const sinDelta0 = Math.sin(delta0 * DEG);

  const u = Math.atan2(sinTheta0, cosTheta0 * Math.cos(dPhi)) / DEG;
  const denominator = Math.sqrt(1 - cosTheta0 * cosTheta0 * Math.sin(dPhi) ** 2);
  let ratio = denominator === 0 ? Number.NaN : sinDelta0 / denominator;
  if (Math.abs(ratio) > 1 && Math.abs(ratio) < 1 + 1e-12) ratio = Math.sign(ratio);
  let deltaP: number;
  if (denominator === 0) {
    // The fiducial point is at the native pole's longitude ±90° on the native equator: any δp
    // reaches δ0 = 0, so LATPOLE decides (WCSLIB does the same).
    if (Math.abs(delta0) > 1e-12) return null;
    deltaP = latpole ?? 90;
  } else {
    if (Math.abs(ratio) > 1) return null;
    const v = Math.acos(ratio) / DEG;
    const candidates = [u + v, u - v]
      .map((d) => (d > 180 ? d - 360 : d < -180 ? d + 360 : d))
      .filter((d) => Math.abs(d) <= 90 + 1e-10)
      .map((d) => Math.max(-90, Math.min(90, d)));
    if (candidates.length === 0) return null;
    const target = latpole ?? 90;
    const [first = 0, second] = candidates;
    deltaP = second !== undefined && Math.abs(second - target) < Math.abs(first - target) ? second : first;
  }

  const sinDeltaP = Math.sin(deltaP * DEG);
  const cosDeltaP = Math.cos(deltaP * DEG);
  let alphaP: number;
  if (Math.abs(delta0) === 90) {
    // CRVAL at a celestial pole: α0 is arbitrary and fixes the meridian of the pole.
    alphaP = alpha0;
  } else {
    // From the rotation that takes (φ0, θ0) to (α0, δ0), solved for αp.
    const y = cosTheta0 * Math.sin(dPhi);
    const x = sinTheta0 * cosDeltaP - cosTheta0 * sinDeltaP * Math.cos(dPhi);
    alphaP = alpha0 - (x === 0 && y === 0 ? 0 : Math.atan2(y, x) / DEG);
  }
  return { alphaP, deltaP, phiP };
}

/** Native (φ, θ) → celestial (α in [0, 360), δ), Paper II eq 2, in a form stable at the poles. */
export function nativeToCelestial(phi: number, theta: number, pole: CelestialPole): { lon: number; lat: number } {
  const dPhi = (phi - pole.phiP) * DEG;
  const sinTheta = Math.sin(theta * DEG);
  const cosTheta = Math.cos(theta * DEG);
  const sinDeltaP = Math.sin(pole.deltaP * DEG);
  const cosDeltaP = Math.cos(pole.deltaP * DEG);
  const x = sinTheta * cosDeltaP - cosTheta * sinDeltaP * Math.cos(dPhi);
  const y = -cosTheta * Math.sin(dPhi);
  const z = sinTheta * sinDeltaP + cosTheta * cosDeltaP * Math.cos(dPhi);
  const lon = wrap360(pole.alphaP + Math.atan2(y, x) / DEG);
  return { lon, lat: Math.atan2(z, Math.hypot(x, y)) / DEG };
}

/**
 * Celestial (α, δ) → native (φ in [-180, 180], θ), Paper II eq 5. The inverse of nativeToCelestial
 * and deliberately written out like it (the same rotation, the roles of the two poles exchanged):
 * each is one of the paper's equations and runs for every pixel, so neither goes through a shared,
 * parameterised helper.
 */
export function celestialToNative(lon: number, lat: number, pole: CelestialPole): { phi: number; theta: number } {
  const dAlpha = (lon - pole.alphaP) * DEG;
  const sinDelta = Math.sin(lat * DEG);
  const cosDelta = Math.cos(lat * DEG);
  const sinDeltaP = Math.sin(pole.deltaP * DEG);
  const cosDeltaP = Math.cos(pole.deltaP * DEG);
  const x = sinDelta * cosDeltaP - cosDelta * sinDeltaP * Math.cos(dAlpha);
  const y = -cosDelta * Math.sin(dAlpha);
  const z = sinDelta * sinDeltaP + cosDelta * cosDeltaP * Math.cos(dAlpha);
  const phi = wrap180(pole.phiP + Math.atan2(y, x) / DEG);
  return { phi, theta: Math.atan2(z, Math.hypot(x, y)) / DEG };
}
