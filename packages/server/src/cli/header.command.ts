import type { Command } from './command.js';

// Replaced by the FITS core work (issue 2).
export const headerCommand: Command = {
  summary: "print every HDU's header cards",
  usage: 'aims header FILE [--json] [--hdu N]',
  async run() {
    process.stderr.write('aims header: not implemented yet\n');
    return 1;
  },
};
