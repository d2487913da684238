import { useMaya } from './store.ts';
import { connection } from './net/connection.ts';
import { LazyAvatar } from './avatar/LazyAvatar.tsx';
import { TabOverlay } from './overlays/TabOverlay.tsx';
import { PaymentPanel } from './overlays/PaymentPanel.tsx';
import { tabLinkPath } from '../shared/domain.ts';
import { StatusLine } from './overlays/StatusLine.tsx';
import { Captions } from './conversation/Captions.tsx';
import { TextBox } from './conversation/TextBox.tsx';
import { KeyDialog } from './keys/KeyDialog.tsx';
import { KioskApp } from './kiosk/KioskApp.tsx';
import { kioskConfigFromSearch } from './kiosk/machine.ts';

const kiosk = kioskConfigFromSearch(location.search);
if (import.meta.env.MODE === 'e2e') {
  void import('./testing/hooks.ts').then(({ registerTestHook }) =>
    registerTestHook('say', (text: string) => connection.say(text)),
  );
}
import { MicControls } from './audio/MicControls.tsx';
import { VoiceCaptions } from './audio/VoiceCaptions.tsx';

export function App() {
  if (kiosk.enabled) return <KioskApp config={kiosk.config} />;
  return <BrowserApp />;
}

/** A guest in a browser tab: the avatar, the tab, captions always on, and the text box. */
function BrowserApp() {
  const state = useMaya((s) => s.state);
  const sessionId = useMaya((s) => s.sessionId);
  const captions = useMaya((s) => s.captions);
  const lastError = useMaya((s) => s.lastError);
  const status = useMaya((s) => s.connection);
  return (
    <main className="app">
      <header className="topbar">
        <h1>Maya</h1>
        <StatusLine />
        <KeyDialog />
      </header>
      <LazyAvatar />
      <aside className="side">
        {state && (
          <TabOverlay
            payment={state.payment}
            onTip={(percent) => connection.send({ type: 'set_tip', percent })}
            onPay={() => connection.send({ type: 'pay' })}
            onCancelPayment={() => connection.send({ type: 'cancel_payment' })}
          />
        )}
        {state && (
          <PaymentPanel
            payment={state.payment}
            shortLink={sessionId ? `${location.host}${tabLinkPath(sessionId)}` : undefined}
          />
        )}
      </aside>
      <div className="bottom">
        <Captions captions={captions} />
        <VoiceCaptions />
        <MicControls />
        {lastError && (
          <p className="error" role="alert">
            {lastError.message}
          </p>
        )}
        <TextBox onSay={(t) => connection.say(t)} disabled={status !== 'open'} />
      </div>
    </main>
  );
}
