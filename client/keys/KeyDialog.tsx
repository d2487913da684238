/**
 * Bring your own keys: a button that opens a dialog for a Gemini and a Cartesia key. An empty field
 * keeps what is there (nothing stored means Maya's built-in brain and voice); "Remove" forgets a
 * stored key. The server checks each key and answers with its status; the key is never shown again.
 */
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { KEY_PROVIDERS, MAX_API_KEY_CHARS, SetKeysSchema } from '../../shared/protocol.ts';
import { useMaya } from '../store.ts';
import type { KeyProvider, KeyStatusValue } from '../../shared/protocol.ts';
import { connection } from '../net/connection.ts';
import { useKeys } from './keyStore.ts';
import './keys.css';

const LABELS: Record<KeyProvider, string> = {
  gemini: 'Gemini API key (brain)',
  cartesia: 'Cartesia API key (voice)',
};

function statusText(value: KeyStatusValue | undefined): string {
  if (!value || value === 'missing') return 'not set';
  if (value === 'valid') return 'in use';
  return `refused (${value.slice('invalid:'.length)})`;
}

export function KeyDialog() {
  const dialog = useRef<HTMLDialogElement>(null);
  const [values, setValues] = useState<Record<KeyProvider, string>>({ gemini: '', cartesia: '' });
  const { status, checking, setChecking } = useKeys();
  const [problem, setProblem] = useState<string | null>(null);
  const lastError = useMaya((s) => s.lastError);
  // A refused message (rate limit, malformed) ends the check too.
  useEffect(() => {
    if (lastError) setChecking(false);
  }, [lastError, setChecking]);

  const send = (keys: Partial<Record<KeyProvider, string>>) => {
    setChecking(true);
    connection.send({ type: 'set_keys', ...keys });
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    const given = Object.fromEntries(
      KEY_PROVIDERS.filter((p) => values[p].trim()).map((p) => [p, values[p].trim()]),
    );
    const parsed = SetKeysSchema.safeParse({ type: 'set_keys', ...given });
    if (!parsed.success) {
      setProblem(`That does not look like a key: ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
      return;
    }
    setProblem(null);
    // Clear the fields at once: the key lives on the server from now on, not in the page.
    setValues({ gemini: '', cartesia: '' });
    if (Object.keys(given).length) send(given);
  };

  return (
    <>
      <button
        type="button"
        className="keys-open"
        data-testid="keys-open"
        onClick={() => dialog.current?.showModal()}
      >
        Keys
      </button>
      <dialog
        ref={dialog}
        className="keys-dialog"
        data-testid="keys-dialog"
        aria-labelledby="keys-title"
      >
        <form onSubmit={save}>
          <h2 id="keys-title">Your own API keys</h2>
          <p className="keys-note">
            Optional. Without keys Maya uses her built-in brain and voice. Keys are checked, stored
            encrypted on the server for this visit only, and never shown again.
          </p>
          {KEY_PROVIDERS.map((p) => (
            <div className="keys-row" key={p}>
              <label htmlFor={`key-${p}`}>{LABELS[p]}</label>
              <input
                id={`key-${p}`}
                data-testid={`key-${p}`}
                type="password"
                autoComplete="off"
                spellCheck={false}
                maxLength={MAX_API_KEY_CHARS}
                placeholder={
                  status?.[p] === 'valid'
                    ? 'stored — type to replace'
                    : status?.serverKeys[p]
                      ? "using the bar's key"
                      : 'paste a key'
                }
                value={values[p]}
                onChange={(e) => setValues((v) => ({ ...v, [p]: e.target.value }))}
              />
              <span
                className={`keys-status keys-${status?.[p] ?? 'missing'}`}
                data-testid={`key-status-${p}`}
                data-status={status?.[p] ?? 'missing'}
              >
                {statusText(status?.[p])}
              </span>
              {status?.[p] && status[p] !== 'missing' && (
                <button type="button" className="keys-remove" onClick={() => send({ [p]: '' })}>
                  Remove
                </button>
              )}
              {status && (
                <p className="keys-message" data-testid={`key-message-${p}`}>
                  {status.messages[p]}
                </p>
              )}
            </div>
          ))}
          {problem && (
            <p className="keys-message" role="alert">
              {problem}
            </p>
          )}
          <div className="keys-actions">
            <span aria-live="polite">{checking ? 'Checking…' : ''}</span>
            <button type="button" onClick={() => dialog.current?.close()}>
              Close
            </button>
            <button
              type="submit"
              disabled={checking || !KEY_PROVIDERS.some((p) => values[p].trim())}
            >
              Save
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
