import { ErrorCode, ProtocolError, type CallInfo } from '../../../shared/protocol';
import { sectionOf } from '../../../shared/settings';
import type { Broadcast, Capability } from '../capability';
import type { Logger } from '../log';
import type { SettingsService } from '../settings/settings-service';
import { startHistory, type HistoryService } from './history-service';

export interface HistoryCapability extends Capability<'history.list' | 'history.export' | 'history.markSeen'> {
  /** Journals a call when it has ended (and fsyncs it) before anyone hears of it. */
  record(call: CallInfo): void;
  setLimit(limit: number): void;
}

/**
 * The call history (history/): opened by the one host of this user and home only (two hosts must
 * never append to, or repair, one journal), hence started after the instance lock is held.
 */
export function startHistoryCapability(deps: { stateDir: string; log: Logger; limit: number; settings: SettingsService; broadcast: Broadcast }): HistoryCapability {
  let history: HistoryService | undefined = startHistory({
    stateDir: deps.stateDir,
    log: deps.log,
    limit: deps.limit,
    announce: (d) => deps.broadcast('history', d),
  });
  const journal = (): HistoryService => {
    if (!history) throw new ProtocolError(ErrorCode.INTERNAL, 'the call history is not open yet');
    return history;
  };
  const off = deps.settings.onChange((next, changed) => {
    if (changed === 'preferences') history?.setLimit(sectionOf(next, 'preferences').historySize);
  });
  return {
    events: ['history'],
    handlers: {
      'history.list': (p) => journal().list(p?.limit ?? 200, p?.before),
      'history.export': (p) => journal().exportPart(p?.after),
      'history.markSeen': (p) => journal().markSeen(p?.upTo),
    },
    record: (call) => history?.onCall(call),
    setLimit: (limit) => history?.setLimit(limit),
    stop() {
      off();
      history?.stop();
      history = undefined;
    },
  };
}
