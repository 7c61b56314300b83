import type { FieldRule } from './field-rule.js';
import { degreesValue, fail, numberValue, ok, show, textValue, type ValueParser } from './value-parsers.js';

/**
 * The single-keyword fields: candidates in priority order (the writers' own keyword first, then the
 * synonyms other programs use), a parser, and the range outside which a value is refused. Fields
 * that combine several cards (date and time, position, filter wheels, binning, site, image type,
 * pixel size) have their own modules with the same shape of keyword list.
 *
 * Who writes what: MaxIm DL/ACP and SBIG (CCD-TEMP, SET-TEMP, XPIXSZ, FOCALLEN, APTDIA, SWCREATE,
 * OBJCTALT/OBJCTAZ), N.I.N.A. (GAIN, OFFSET, CENTALT/CENTAZ, FOCPOS, FOCTEMP/FOCUSTEM, SITEELEV),
 * SharpCap/SGP/APT (mostly the MaxIm set), KStars/Ekos/INDI (PIXSIZE1, SCALE, FRAME), Seestar
 * (CREATOR, FOCUSPOS), HST (TARGNAME, PROPOSID), ESO (HIERARCH ESO …), NOAO (DETTEMP, OBSID…).
 */

const name = textValue({ refusePlaceholders: true });
const identifier = textValue({ numbers: true, refusePlaceholders: true });

/** A colour-filter-array pattern ('RGGB'); MaxIm/AstroFX's numeric COLORTYP codes are refused. */
const bayerPattern: ValueParser<string> = (value, keyword) => {
  if (typeof value !== 'string') return fail(`${keyword} ${show(value)} is not a Bayer pattern`);
  const text = value.trim().toUpperCase();
  return /^[RGBCMYW]{4}$/.test(text) ? ok(text) : fail(`${keyword} ${show(value)} is not a Bayer pattern`);
};

/** An angle of a full turn, folded into [0, 360): rotators report −180…180 as well as 0…360. */
const turnAngle: ValueParser<number> = (value, keyword) => {
  const parsed = degreesValue(value, keyword);
  if (!parsed.ok) return parsed;
  return ok(((parsed.value % 360) + 360) % 360);
};

/** Every single-keyword field, one entry each. */
export const KEYWORD_TABLE = [
  {
    field: 'exptime',
    // ITIME: NOAO/IRAF integration time; ESO DET DIT: ESO detector integration time.
    keywords: ['EXPTIME', 'EXPOSURE', 'EXP_TIME', 'EXPTIM', 'ITIME', 'ESO DET DIT'],
    parse: numberValue,
    range: [0, 1e7],
  },
  {
    field: 'object_name',
    keywords: ['OBJECT', 'OBJNAME', 'TARGNAME', 'TARGET', 'ESO OBS TARG NAME'],
    parse: name,
  },
  {
    field: 'ccd_temp',
    // ESO's detector temperatures are in kelvin.
    keywords: [
      'CCD-TEMP',
      'CCD_TEMP',
      'CCDTEMP',
      'DETTEMP',
      'TEMPERAT',
      'CAMTEMP',
      { key: 'ESO DET CHIP1 TEMP', offset: -273.15 },
      { key: 'ESO DET TEMPMEAN', offset: -273.15 },
    ],
    parse: numberValue,
    range: [-200, 80],
  },
  {
    field: 'set_temp',
    keywords: ['SET-TEMP', 'SET_TEMP', 'SETTEMP', 'CCD-SET', 'TEMPSET'],
    parse: numberValue,
    range: [-200, 80],
  },
  {
    field: 'gain',
    // GAIN is the camera's gain setting for CMOS cameras (ZWO, QHY) and e-/ADU for CCD drivers;
    // EGAIN (MaxIm/SBIG) is always e-/ADU. Both are what people filter by, GAIN first.
    keywords: ['GAIN', 'EGAIN', 'CCDGAIN', 'ESO DET OUT1 GAIN', 'ESO DET OUT1 CONAD'],
    parse: numberValue,
    range: [0, 1e5],
  },
  {
    field: 'offset',
    keywords: ['OFFSET', 'BLKLEVEL', 'BLACKLEV', 'CCDOFFST', 'BIASLEVL'],
    parse: numberValue,
    range: [-1e5, 1e5],
  },
  { field: 'telescope', keywords: ['TELESCOP', 'TELESCOPE', 'TELNAME', 'ESO TEL ID'], parse: name },
  {
    field: 'observatory',
    // ORIGIN is not used: it names the institution that wrote the file (ESO-MIDAS, NOAO-IRAF, STScI).
    keywords: ['OBSERVAT', 'OBSNAME', 'SITENAME', 'SITE', 'OBSERVATORY', 'OBS-NAME', 'ESO OBS SITE'],
    parse: name,
  },
  {
    field: 'site_elev_m',
    // MaxIm's ALTITUDE is the object's altitude in degrees, never the site's height.
    keywords: ['SITEELEV', 'OBSGEO-H', 'ALT-OBS', 'OBSALT', 'ELEVAT', 'SITEALT', 'ESO TEL GEOELEV', 'ESO TEL ALTITUDE'],
    parse: numberValue,
    range: [-500, 9000],
  },
  { field: 'instrument', keywords: ['INSTRUME', 'INSTRUMENT', 'ESO INS ID'], parse: name },
  {
    field: 'camera',
    // Most amateur programs name the camera in INSTRUME; professional ones name the detector.
    keywords: ['CAMERA', 'CCDNAME', 'CCD_NAME', 'DETNAME', 'DETECTOR', 'ESO DET NAME', 'INSTRUME'],
    parse: name,
  },
  {
    field: 'focal_length_mm',
    // MaxIm writes FOCALLEN 0 when it does not know; the range refuses it.
    keywords: ['FOCALLEN', 'FOCAL', 'FOCLEN', { key: 'ESO TEL FOCU LEN', scale: 1000 }],
    parse: numberValue,
    range: [1, 1e6],
  },
  {
    field: 'aperture_mm',
    // APERTURE is not used: HST writes an aperture name there and Seestar writes 5.0 for its 50 mm.
    keywords: ['APTDIA', 'APTDIAM', 'TELDIAM', { key: 'ESO TEL DIAM', scale: 1000 }],
    parse: numberValue,
    range: [1, 1e5],
  },
  {
    field: 'focuser_position',
    keywords: ['FOCPOS', 'FOCUSPOS', 'FOCUSER', 'FOC-POS', 'TELFOCUS'],
    parse: numberValue,
    range: [-1e8, 1e8],
  },
  {
    field: 'focuser_temp',
    keywords: ['FOCTEMP', 'FOCUSTEM', 'FOCUSTMP', 'FOCUSTEMP'],
    parse: numberValue,
    range: [-80, 80],
  },
  {
    field: 'airmass',
    keywords: ['AIRMASS', 'SECZ', 'AIRM', 'ESO TEL AIRM START'],
    parse: numberValue,
    range: [0.99, 40],
  },
  {
    field: 'altitude_deg',
    // ACP's ALTITUDE sometimes holds the site height (311.8 in the Feder cutouts): the range refuses it.
    keywords: ['OBJCTALT', 'ALT-OBJ', 'CENTALT', 'TELALT', 'ALTITUDE', 'ELEVATIO', 'ESO TEL ALT'],
    parse: degreesValue,
    range: [-90, 90],
  },
  {
    field: 'azimuth_deg',
    // ESO TEL AZ is not used: ESO counts azimuth from the south.
    keywords: ['OBJCTAZ', 'AZ-OBJ', 'CENTAZ', 'TELAZ', 'AZIMUTH'],
    parse: degreesValue,
    range: [0, 360],
  },
  {
    field: 'rotator_angle_deg',
    // The rotator's own angle first (MaxIm DL and N.I.N.A.: ROTATANG; N.I.N.A.: ROTATOR), then the
    // position angle of the frame that plate-solving writers record (MaxIm DL: PA).
    keywords: ['ROTATANG', 'ROTATOR', 'ROTPA', 'OBJCTROT', 'PA'],
    parse: turnAngle,
    range: [0, 360],
  },
  { field: 'observer', keywords: ['OBSERVER', 'OBSERVERS', 'AUTHOR', 'ESO OBS OBSERVER'], parse: identifier },
  {
    field: 'program',
    // PROGRAM is not used here: Seestar writes its firmware version (4.27) under that name.
    keywords: ['PROPOSID', 'PROP_ID', 'PROPID', 'PROPOSAL', 'PROGID', 'PROG_ID', 'PROJECT', 'ESO OBS PROG ID'],
    parse: identifier,
  },
  { field: 'software', keywords: ['SWCREATE', 'CREATOR', 'SWACQUIR', 'SOFTWARE', 'PROGRAM', 'SWMODIFY'], parse: name },
  { field: 'bayer_pattern', keywords: ['BAYERPAT', 'COLORTYP', 'CFAPAT', 'BAYER'], parse: bayerPattern },
] as const satisfies readonly FieldRule<number | string>[];
