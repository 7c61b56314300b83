/**
 * Which paths AIMS treats as FITS candidates: .fits .fit .fts and their .gz/.fz forms, any case
 * (M13_BLUE.FIT, frame.fits.fz, frame.fts.gz). Content decides in the end — a .gz that is not FITS
 * is recorded as rejected with its reason — but the name decides what is worth looking at.
 */
const FITS_NAME = /\.(fits?|fts)(\.(gz|fz))?$|\.fz$/i;

export function isFitsName(path: string): boolean {
  return FITS_NAME.test(path);
}

/**
 * A glob as users write them in exclusion lists: `*` (within one path segment), `**` (any number of
 * segments), `?`, and `{a,b}`. Matched against the path relative to its root, with `/` separators.
 */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slash = glob[i + 2] === '/';
        out += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) out += '\\{';
      else {
        out += `(?:${glob
          .slice(i + 1, end)
          .split(',')
          .map((s) => s.replace(/[.+^${}()|[\]\\*?]/g, '\\$&'))
          .join('|')})`;
        i = end;
      }
    } else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** True when `relativePath` (or one of its parent folders) matches any of the globs. */
export function makeExcluder(globs: readonly string[]): (relativePath: string) => boolean {
  const patterns = globs.filter(Boolean).map(globToRegExp);
  return (relativePath) => {
    if (!patterns.length) return false;
    const parts = relativePath.split('/');
    for (let n = 1; n <= parts.length; n++) {
      const prefix = parts.slice(0, n).join('/');
      if (patterns.some((p) => p.test(prefix))) return true;
    }
    return false;
  };
}
