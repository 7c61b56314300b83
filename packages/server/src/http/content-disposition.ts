/**
 * `attachment` with the file's name: an ASCII fallback for old clients and the exact UTF-8 name
 * (RFC 6266 / RFC 8187 `filename*`).
 */
export function attachment(fileName: string): string {
  const base = fileName.replace(/[/\\]/g, '_');
  const ascii = base.replace(/[^\x20-\x7e]/g, '_').replace(/["%]/g, '_');
  const encoded = encodeURIComponent(base).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return ascii === base && !/[%"]/.test(base)
    ? `attachment; filename="${ascii}"`
    : `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
