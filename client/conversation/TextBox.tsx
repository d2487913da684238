import { useState } from 'react';
import type { FormEvent } from 'react';
import { MAX_USER_TEXT_CHARS } from '../../shared/protocol.ts';

/** The typed fallback to voice: always there outside kiosk mode, fully keyboard-usable. */
export function TextBox({ onSay, disabled }: { onSay: (text: string) => void; disabled: boolean }) {
  const [text, setText] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const t = text.trim();
    if (!t) return;
    onSay(t);
    setText('');
  };
  return (
    <form className="textbox" onSubmit={submit}>
      <label htmlFor="say" className="visually-hidden">
        Say something to Maya
      </label>
      <input
        id="say"
        data-testid="say"
        autoComplete="off"
        maxLength={MAX_USER_TEXT_CHARS}
        placeholder="Type to Maya — “a margarita please”"
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit" disabled={disabled || !text.trim()}>
        Say
      </button>
    </form>
  );
}
