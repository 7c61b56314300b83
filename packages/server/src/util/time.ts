/** Modified Julian Date and Unix time (UTC days of 86,400 s; leap seconds are not counted by either). */

/** MJD of 1970-01-01T00:00Z, the Unix epoch. */
export const MJD_UNIX_EPOCH = 40_587;
/** JD − MJD: the MJD counts from JD 2,400,000.5 (1858-11-17T00:00Z). */
export const JD_MINUS_MJD = 2_400_000.5;
export const MS_PER_DAY = 86_400_000;

export function mjdFromUnixMs(ms: number): number {
  return MJD_UNIX_EPOCH + ms / MS_PER_DAY;
}

export function unixMsFromMjd(mjd: number): number {
  return (mjd - MJD_UNIX_EPOCH) * MS_PER_DAY;
}
