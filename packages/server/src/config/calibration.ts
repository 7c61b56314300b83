/**
 * The rules by which calibration frames are matched to a light frame (catalog/calibration.ts),
 * with their defaults and the variables that change them. docs/calibration.md explains each to
 * observers; keep the two together.
 */
export interface CalibrationRules {
  /** How far from the light, before or after, a bias may be (days). */
  biasWindowDays: number;
  darkWindowDays: number;
  flatWindowDays: number;
  /** Darks: sensor temperature within ± this many °C of the light's. */
  temperatureToleranceC: number;
  /** Darks: exposure within ± this percentage of the light's (never tighter than 0.01 s). */
  exposureTolerancePct: number;
  /** Flats: rotator angle within ± this many degrees, when both frames record one. */
  rotatorToleranceDeg: number;
  /** Matches listed per kind, best first. */
  matchesPerKind: number;
}

/** A number read from a variable: the fallback when unset, bounds checked (config.ts reports errors). */
export type ReadNumber = (variable: string, fallback: number, min: number, max: number) => number;

export const CALIBRATION_VARIABLES = {
  biasWindowDays: ['AIMS_CALIBRATION_BIAS_DAYS', 180, 0, 36_500],
  darkWindowDays: ['AIMS_CALIBRATION_DARK_DAYS', 180, 0, 36_500],
  flatWindowDays: ['AIMS_CALIBRATION_FLAT_DAYS', 30, 0, 36_500],
  temperatureToleranceC: ['AIMS_CALIBRATION_TEMP_TOLERANCE', 2, 0, 100],
  exposureTolerancePct: ['AIMS_CALIBRATION_EXPOSURE_TOLERANCE_PCT', 1, 0, 100],
  rotatorToleranceDeg: ['AIMS_CALIBRATION_ROTATOR_TOLERANCE', 2, 0, 180],
  matchesPerKind: ['AIMS_CALIBRATION_MATCHES', 25, 1, 1000],
} as const satisfies Record<keyof CalibrationRules, readonly [string, number, number, number]>;

export function calibrationRules(read: ReadNumber): CalibrationRules {
  const rules = {} as Record<keyof CalibrationRules, number>;
  for (const [key, [variable, fallback, min, max]] of Object.entries(CALIBRATION_VARIABLES))
    rules[key as keyof CalibrationRules] = read(variable, fallback, min, max);
  rules.matchesPerKind = Math.round(rules.matchesPerKind);
  return rules;
}

export const DEFAULT_CALIBRATION_RULES: CalibrationRules = calibrationRules((_variable, fallback) => fallback);
