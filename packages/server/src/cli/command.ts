/** One `aims` sub-command: `run` gets the arguments after the command name and returns an exit code. */
export interface Command {
  summary: string;
  usage: string;
  run(args: string[]): Promise<number>;
}

/** Exit code for bad usage or input the command cannot read (a file that is not FITS, say). */
export const EXIT_BAD_INPUT = 2;
