/**
 * How sessions are written to and read from a store: JSON checked against the session schema both
 * ways, so a wrong type never gets written and corrupt or foreign data reads as a coded error.
 */
import { DomainError } from '../domain/errors.ts';
import { SessionStateSchema } from '../domain/session.ts';
import type { SessionState } from '../domain/session.ts';

export function encodeSession(state: SessionState): string {
  const checked = SessionStateSchema.safeParse(state);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new DomainError(
      'INVALID_SESSION',
      `Refusing to store an invalid session (${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}).`,
    );
  }
  return JSON.stringify(checked.data);
}

export function decodeSession(raw: string, id: string): SessionState {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new DomainError('INVALID_SESSION', `Session ${id} holds unreadable data.`);
  }
  const parsed = SessionStateSchema.safeParse(json);
  if (!parsed.success || parsed.data.id !== id)
    throw new DomainError('INVALID_SESSION', `Session ${id} holds unreadable data.`);
  return parsed.data;
}
