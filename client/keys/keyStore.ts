/** The status of the session's own keys as the server reports it (the keys themselves never come back). */
import { create } from 'zustand';
import type { KeyStatusMessage } from '../../shared/protocol.ts';

export interface KeyState {
  status: KeyStatusMessage | null;
  /** A set_keys is on its way (the server is checking the keys). */
  checking: boolean;
  receive(msg: KeyStatusMessage): void;
  setChecking(checking: boolean): void;
}

export const useKeys = create<KeyState>((set) => ({
  status: null,
  checking: false,
  receive: (status) => set({ status, checking: false }),
  setChecking: (checking) => set({ checking }),
}));
