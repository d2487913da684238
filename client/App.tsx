import { useMaya } from './store.ts';
import { connection } from './net/connection.ts';
import { Stage } from './stage/Stage.tsx';
import { TabOverlay } from './overlays/TabOverlay.tsx';
import { Captions } from './conversation/Captions.tsx';
import { TextBox } from './conversation/TextBox.tsx';
import { MicControls } from './audio/MicControls.tsx';
import { VoiceCaptions } from './audio/VoiceCaptions.tsx';

export function App() {
  const { state, captions, thinking, connection: status, lastError } = useMaya();
  return (
    <main className="app">
      <header className="topbar">
        <h1>Maya</h1>
        <span className={`status status-${status}`} data-testid="status">
          {status === 'open' ? (thinking ? 'thinking…' : 'ready') : status === 'connecting' ? 'connecting…' : 'reconnecting…'}
        </span>
      </header>
      <Stage emotion={state?.emotion ?? 'neutral'} thinking={thinking} />
      {state && <TabOverlay payment={state.payment} onTip={(percent) => connection.send({ type: 'set_tip', percent })} />}
      <div className="bottom">
        <Captions captions={captions} />
        <VoiceCaptions />
        <MicControls />
        {lastError && <p className="error" role="alert">{lastError.message}</p>}
        <TextBox onSay={(t) => connection.say(t)} disabled={status !== 'open'} />
      </div>
    </main>
  );
}
