/**
 * A point on the sky, in degrees: right ascension in [0, 360), declination in [-90, 90].
 * Positions the WCS returns are in the header's equatorial frame (ICRS or FK5 J2000, which agree
 * to about 25 mas); galactic and FK4 B1950 headers are converted to ICRS.
 */
export interface SkyPosition {
  ra: number;
  dec: number;
}
