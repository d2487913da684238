import { useMaya } from './store.ts';
import { connection } from './net/connection.ts';
import { Avatar } from './avatar/Avatar.tsx';
import { TabOverlay } from './overlays/TabOverlay.tsx';
import { Captions } from './conversation/Captions.tsx';
import { TextBox } from './conversation/TextBox.tsx';

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
      <Avatar />
      {state && <TabOverlay payment={state.payment} onTip={(percent) => connection.send({ type: 'set_tip', percent })} />}
      <div className="bottom">
        <Captions captions={captions} />
        {lastError && <p className="error" role="alert">{lastError.message}</p>}
        <TextBox onSay={(t) => connection.say(t)} disabled={status !== 'open'} />
      </div>
    </main>
  );
}
