/**
 * The one error table shared by host, extension and CLI. Codes are stable: scripts and the
 * extension's translations key on them. Add new codes at the end of a range, never renumber.
 */
export const ErrorCode = {
  // 1xxx: framing and envelope
  PARSE_ERROR: 1000,
  INVALID_UTF8: 1001,
  FRAME_TOO_LARGE: 1002,
  INVALID_REQUEST: 1003,
  UNKNOWN_METHOD: 1004,
  INVALID_PARAMS: 1005,
  HANDSHAKE_REQUIRED: 1006,
  VERSION_MISMATCH: 1007,
  RESULT_TOO_LARGE: 1008,
  STREAM_CORRUPT: 1009,
  // 2xxx: connection and lifecycle
  TIMEOUT: 2000,
  DISCONNECTED: 2001,
  HOST_NOT_FOUND: 2002,
  HOST_FORBIDDEN: 2003,
  ALREADY_RUNNING: 2004,
  NOT_RUNNING: 2005,
  INTERNAL: 2006,
  /** The asking side gave up on its own request (an AbortSignal); never sent by the peer. */
  CANCELLED: 2007,
  // 3xxx: account and registration
  NO_ACCOUNT: 3000,
  NOT_REGISTERED: 3001,
  INVALID_SETTINGS: 3002,
  /** voispeed:U: no such proposal (never made, already used, cancelled or expired). */
  PROPOSAL_NOT_FOUND: 3003,
  /** voispeed:U: the new account did not register (or calls are up); the previous one is kept. */
  ACCOUNT_NOT_APPLIED: 3004,
  /** The field is set by the administrator (a managed policy or the system file); `data: {field, key}`. */
  SETTING_LOCKED: 3005,
  /** Direct SIP over TLS: the PBX's certificate is not trusted (self-signed, unknown CA, other name, expired). */
  TLS_CERTIFICATE: 3006,
  /** Direct SIP: the PBX's name has no NAPTR, SRV or address record. */
  SERVER_NOT_FOUND: 3007,
  /** Direct SIP over TLS: the handshake did not finish in time (retried). */
  TLS_HANDSHAKE_TIMEOUT: 3008,
  // 4xxx: installer and sandbox
  INSTALL_FAILED: 4000,
  SANDBOX_FAILED: 4001,
  // 5xxx: calls
  /** A call or transfer ended before it really started; `data.end` is its CallInfo.end. */
  CALL_FAILED: 5000,
  /** The browser's audio engine does not run (no audio output, autoplay refused): no conference mix; the calls stay as they were. */
  CONFERENCE_UNAVAILABLE: 5001,
  // 51xx: colleagues (BLF)
  /** Pick-up: nothing rings at that colleague (any more), or the PBX gave no dialog to take over. */
  COLLEAGUE_NOT_RINGING: 5100,
} as const;

export type ErrorCodeName = keyof typeof ErrorCode;
export type ErrorCodeValue = (typeof ErrorCode)[ErrorCodeName];

const namesByCode = new Map<number, ErrorCodeName>(
  (Object.entries(ErrorCode) as [ErrorCodeName, number][]).map(([name, code]) => [code, name]),
);

export function errorName(code: number): ErrorCodeName | undefined {
  return namesByCode.get(code);
}

export interface ProtocolErrorShape {
  code: number;
  message: string;
  data?: unknown;
}

/** An error that crosses the wire as `{code, message}`; thrown by handlers, rejected by clients. */
export class ProtocolError extends Error {
  readonly code: ErrorCodeValue;
  readonly data: unknown;

  constructor(code: ErrorCodeValue, message: string, data?: unknown) {
    super(message);
    this.name = 'ProtocolError';
    this.code = code;
    this.data = data;
  }

  toJSON(): ProtocolErrorShape {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }

  static from(shape: ProtocolErrorShape): ProtocolError {
    const code = (errorName(shape.code) ? shape.code : ErrorCode.INTERNAL) as ErrorCodeValue;
    return new ProtocolError(code, shape.message, shape.data);
  }
}
