/**
 * The client's state: a mirror of what the server sends, never computed here. State pushes carry a
 * version; an older push than the one shown is ignored (a late packet must not roll the tab back).
 */
import { create } from 'zustand';
import type { PublicState } from '../shared/domain.ts';
import type { ServerMessage } from '../shared/protocol.ts';

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting';

export interface Caption {
  id: number;
  speaker: 'guest' | 'maya';
  text: string;
}

export interface MayaState {
  connection: ConnectionStatus;
  sessionId: string | null;
  state: PublicState | null;
  captions: Caption[];
  /** True from a guest's turn until Maya's reply arrives. */
  thinking: boolean;
  lastError: { code: string; message: string } | null;
  receive(msg: ServerMessage): void;
  guestSaid(text: string): void;
  setConnection(status: ConnectionStatus): void;
  /** A line Maya says that did not come from the server (kiosk notices such as "your tab is saved"). */
  mayaSaid(text: string): void;
}

const MAX_CAPTIONS = 6;
let captionId = 0;

export const useMaya = create<MayaState>((set, get) => ({
  connection: 'connecting',
  sessionId: null,
  state: null,
  captions: [],
  thinking: false,
  lastError: null,

  receive(msg) {
    switch (msg.type) {
      case 'welcome':
        // A welcome may start a new session (version back to 0): always take it. A different session
        // (the next kiosk guest, an expired tab) starts with empty captions and no pending turn.
        if (get().sessionId !== null && get().sessionId !== msg.sessionId)
          set({ captions: [], thinking: false });
        set({ sessionId: msg.sessionId, state: msg.state, connection: 'open', lastError: null });
        return;
      case 'state': {
        const current = get().state;
        if (current && msg.state.version < current.version) return;
        set({ state: msg.state });
        return;
      }
      case 'reply':
        set((s) => ({
          thinking: false,
          captions: [
            ...s.captions,
            { id: ++captionId, speaker: 'maya' as const, text: msg.text },
          ].slice(-MAX_CAPTIONS),
        }));
        return;
      case 'error':
        set({ lastError: { code: msg.code, message: msg.message }, thinking: false });
        return;
    }
  },

  guestSaid(text) {
    set((s) => ({
      thinking: true,
      lastError: null,
      captions: [...s.captions, { id: ++captionId, speaker: 'guest' as const, text }].slice(
        -MAX_CAPTIONS,
      ),
    }));
  },

  setConnection(connection) {
    set({ connection });
  },

  mayaSaid(text) {
    set((s) => ({
      captions: [...s.captions, { id: ++captionId, speaker: 'maya' as const, text }].slice(
        -MAX_CAPTIONS,
      ),
    }));
  },
}));
