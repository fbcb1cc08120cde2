import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import './app/console.css';
import { applyTheme } from './components/Theme';

// Before the first paint, so a darkened watch floor never sees a white flash.
applyTheme();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
