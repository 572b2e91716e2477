import * as account from './account';
import * as call from './call';
import * as colleagues from './colleagues';
import * as voicemail from './voicemail';
import * as transfer from './transfer';
import * as conference from './conference';
import * as directory from './directory';
import * as hotkeys from './hotkeys';
import * as history from './history';
import * as integra from './integra';
import * as media from './media';
import * as session from './session';
import * as settings from './settings';
import type { EventSpec, MethodSpec } from './define';

export * from './version';
export * from './errors';
export * from './call-end';
export * from './envelope';
export * from './define';
export type { Registration, RegistrationState, HostInfo, StatusResult } from './session';
export type { Account, AccountProposal, AccountView } from './account';
export type { CallEnd, CallEndReason, CallInfo, CallState, CallTransfer, DialSource, TransferFailure, VoispeedCallCommand } from './call';
export type { PcSnapshot } from './media';
export type { HistoryRecord, HistoryResult } from './history';
export type { HotkeyStatus, HotkeyBinding, HotkeyUnavailable } from './hotkeys';
export type { Execution } from './integra';
export type { Colleague, ColleagueLamp, ColleaguesView } from './colleagues';
export type { VoicemailState } from './voicemail';
export type { ContactMatch, ContactSource, SearchHit, TestStep, ImportProblem } from './directory';
export { account, call, directory, colleagues, voicemail, transfer, conference, history, hotkeys, integra, media, session, settings };

function table<T extends readonly { method: string }[]>(specs: T): { [S in T[number] as S['method']]: S } {
  return Object.fromEntries(specs.map((s) => [s.method, s])) as never;
}
function events<T extends readonly { event: string }[]>(specs: T): { [S in T[number] as S['event']]: S } {
  return Object.fromEntries(specs.map((s) => [s.event, s])) as never;
}

/** Every request the host answers, keyed by method name. */
export const hostMethods = table([
  session.hello,
  session.status,
  session.ping,
  account.register,
  account.unregister,
  account.propose,
  account.proposals,
  account.apply,
  account.cancel,
  call.dial,
  call.answer,
  call.decline,
  call.hangup,
  call.hold,
  call.mute,
  call.dtmf,
  call.transfer,
  transfer.consult,
  transfer.complete,
  transfer.cancel,
  conference.merge,
  conference.split,
  call.list,
  call.runCommand,
  settings.get,
  settings.set,
  settings.managed,
  history.list,
  history.exportCsv,
  history.markSeen,
  hotkeys.status,
  hotkeys.trigger,
  integra.test,
  integra.log,
  colleagues.list,
  colleagues.pickup,
  voicemail.status,
  voicemail.callVoicemail,
  directory.lookup,
  directory.search,
  directory.test,
  directory.importContacts,
  directory.addContact,
] as const) satisfies Record<string, MethodSpec>;


export type HostMethodName = keyof typeof hostMethods;

/** Every push the host sends, keyed by event name. */
export const hostEvents = events([session.registrationChanged, session.hostChanged, account.proposalChanged, call.callChanged, settings.settingsChanged, history.historyChanged, hotkeys.statusChanged, hotkeys.showPhone, hotkeys.notDialable, integra.executed, colleagues.colleaguesChanged, voicemail.voicemailChanged] as const) satisfies Record<
  string,
  EventSpec
>;

export type HostEventName = keyof typeof hostEvents;
export type HostEventData<K extends HostEventName> = import('zod').output<(typeof hostEvents)[K]['data']>;

/** The media bridge's requests (host → extension), keyed by method name. */
export const mediaMethods = table([
  media.pcCreate,
  media.pcCreateOffer,
  media.pcCreateAnswer,
  media.pcSetLocal,
  media.pcSetRemote,
  media.pcAddMicrophone,
  media.pcSetMicEnabled,
  media.pcInsertDtmf,
  media.pcClose,
  media.retain,
  media.ring,
  media.conference,
] as const) satisfies Record<string, MethodSpec>;

export type MediaMethodName = keyof typeof mediaMethods;

/** Every request the host sends to the extension: the media bridge's and Integra's open. */
export const extensionMethods = { ...mediaMethods, ...table([integra.open] as const) } satisfies Record<string, MethodSpec>;

export type ExtensionMethodName = keyof typeof extensionMethods;

/** Pushes the extension sends to the host. */
export const extensionEvents = events([media.pcEvent] as const) satisfies Record<string, EventSpec>;
export type ExtensionEventName = keyof typeof extensionEvents;

/** The host's end of the host protocol: what it answers and hears (for a `Connection`). */
export const hostSide = { methods: hostMethods, events: extensionEvents } as const;
/** The extension's end (and the CLI's, which answers nothing): what it answers and hears. */
export const extensionSide = { methods: extensionMethods, events: hostEvents } as const;
