/**
 * A one-line progress bar for a terminal: done/total, items (files, rows) per second and the time
 * left. Drawn at most ten times a second so that it never costs more than the work it reports.
 */
export class Progress {
  private total = 0;
  private done = 0;
  private startedMs = 0;
  private lastDrawMs = 0;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly unit = 'files',
  ) {}

  start(total: number): void {
    this.total = total;
    this.startedMs = Date.now();
    this.draw(true);
  }

  /** More to do than said at the start (a scan still finding files while the first are read). */
  grow(count: number): void {
    this.total += count;
    this.draw(false);
  }

  /** `count` more done at once (a batch of rows). */
  add(count: number): void {
    this.done += count;
    this.draw(false);
  }

  tick(message?: string): void {
    this.done++;
    if (message) {
      this.out.write(`\r\x1b[2K${message}\n`);
      this.draw(true);
    } else this.draw(false);
  }

  stop(): void {
    if (this.total) this.draw(true);
    this.out.write('\n');
  }

  private draw(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastDrawMs < 100) return;
    this.lastDrawMs = now;
    const width = 30;
    const fraction = this.total ? Math.min(1, this.done / this.total) : 1;
    const filled = Math.round(fraction * width);
    const seconds = (now - this.startedMs) / 1000;
    const rate = seconds > 0 ? this.done / seconds : 0;
    const eta = rate > 0 ? Math.ceil((this.total - this.done) / rate) : 0;
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    this.out.write(
      `\r\x1b[2K${bar} ${this.done}/${this.total}  ${rate.toFixed(1)} ${this.unit}/s  ETA ${formatSeconds(eta)}`,
    );
  }
}

export function formatSeconds(total: number): string {
  const m = Math.floor(total / 60);
  const s = total % 60;
  return m ? `${m}m${String(s).padStart(2, '0')}s` : `${s}s`;
}
