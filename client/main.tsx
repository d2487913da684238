import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { connection } from './net/connection.ts';
import { voice } from './audio/voice.ts';
import { setKioskVoice } from './kiosk/voice.ts';
import './styles.css';

connection.connect();
// The kiosk listens hands-free through the same voice layer as the browser tab.
setKioskVoice({ startListening: () => void voice.start() });
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
