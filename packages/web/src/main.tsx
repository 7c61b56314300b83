import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { applyTheme, savedTheme } from './lib/theme.js';
import './styles.css';

// Before the first render, so that a light-theme user never sees a dark flash (and vice versa).
applyTheme(savedTheme());

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
