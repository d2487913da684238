import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { connection } from './net/connection.ts';
import { voice } from './audio/voice.ts';
import { setKioskVoice } from './kiosk/voice.ts';
import './styles.css';

// Playwright's build (`vite build --mode e2e`) installs the test hooks before the page starts; in
// every other build this line is dead code and the hooks are not in the bundle.
if (import.meta.env.MODE === 'e2e') await import('./testing/hooks.ts');

connection.connect();
// The kiosk listens hands-free through the same voice layer as the browser tab.
setKioskVoice({ startListening: () => void voice.start() });
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
