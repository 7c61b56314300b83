/** Debian's python3, which has astropy (the pyenv one on PATH does not). */
export const SYSTEM_PYTHON = '/usr/bin/python3';
