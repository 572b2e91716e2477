import type { ParamsOf, ResultOf } from '../../../shared/protocol';
import type { call } from '../../../shared/protocol';
import type { SessionContext } from '../messaging/rpc-session';

type Handler<P, R> = (params: P, ctx: SessionContext) => R | Promise<R>;

/** The host's own call handlers a command runs through, so their rules (no browser, no call) hold as they are. */
export interface CallHandlers {
  'call.dial': Handler<ParamsOf<typeof call.dial>, ResultOf<typeof call.dial>>;
  'call.hangup': Handler<ParamsOf<typeof call.hangup>, ResultOf<typeof call.hangup>>;
  'call.transfer': Handler<ParamsOf<typeof call.transfer>, ResultOf<typeof call.transfer>>;
}

/**
 * `voispeed.run`: the one execution of a parsed `voispeed:` C/D/F command, for the CLI and the OS
 * URL handler (`voispeed voispeed:…`) and for page links (the extension, after a trusted click).
 * C dials with the link's source (so Integra and the history tell them apart), D hangs up that
 * call or the first one, F blind-transfers that call or the first active one.
 */
export function runVoispeedCommand(params: ParamsOf<typeof call.runCommand>, ctx: SessionContext, handlers: CallHandlers): Promise<ResultOf<typeof call.runCommand>> {
  const { command, source } = params;
  switch (command.kind) {
    case 'call':
      return Promise.resolve(handlers['call.dial']({ number: command.number, source, ...(command.extId ? { extId: command.extId } : {}) }, ctx));
    case 'hangup':
      return Promise.resolve(handlers['call.hangup'](command.callId ? { id: command.callId } : {}, ctx));
    case 'forward':
      return Promise.resolve(handlers['call.transfer']({ target: command.target, ...(command.callId ? { id: command.callId } : {}) }, ctx));
  }
}
