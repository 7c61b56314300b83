/** Dark by default (the UI is used at night); a light theme for daytime, remembered per browser. */
export type Theme = 'dark' | 'light';
const KEY = 'aims.theme';

export function savedTheme(): Theme {
  try {
    return localStorage.getItem(KEY) === 'light' ? 'light' : 'dark';
  } catch {
    return 'dark';
  }
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // Not remembered; still applied.
  }
}
