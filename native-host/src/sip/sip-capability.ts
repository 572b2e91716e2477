import { APP_VERSION } from '../../../shared/app-version';
import { describeFailure, ErrorCode, ProtocolError, type CallInfo, type ContactMatch } from '../../../shared/protocol';
import { runVoispeedCommand } from '../commands/run-voispeed-command';
import type { Preferences } from '../../../shared/settings/preferences';
import type { Broadcast, Capability } from '../capability';
import type { Logger } from '../log';
import type { Handlers, RpcSession } from '../messaging/rpc-session';
import { dialFormatOf } from '../settings/dial-format';
import { BridgedPeerConnection } from './bridged-peer-connection';
import { autoAnswerDelayMs } from './auto-answer';
import { CallManager } from './call-manager';
import { AttendedTransfers } from './attended-transfer';
import { Conferences } from './conference';
import { MediaEventRouter, type MediaBridge } from './media-bridge';
import { PreparedOffers } from './prepared-offers';
import { startRegistration, type RegistrationService } from './registration';
import { installWebRtcGlobals } from './webrtc-globals';
import { startGateways } from '../media-gateway/gateways';
import { sipServerHost } from '../media-gateway/media-path';
import { isTlsAccount, mediaPathFor } from './media-path';
import { screenPbxOffer } from '../media-gateway/screen-offer';

type CallMethods = 'call.dial' | 'call.answer' | 'call.decline' | 'call.hangup' | 'call.hold' | 'call.mute' | 'call.dtmf' | 'call.transfer' | 'call.consult' | 'call.transferComplete' | 'call.transferCancel' | 'call.merge' | 'call.split' | 'call.list' | 'voispeed.run';

export interface SipDeps {
  log: Logger;
  preferences(): Preferences;
  /** The browser session that owns the media bridge; undefined between browsers. */
  browser(): RpcSession | undefined;
  broadcast: Broadcast;
  /** Runs before anyone hears of a call change: the journal, so what a client shows is on disk. */
  beforeAnnounce(call: CallInfo): void;
  /** The local contacts' name for a number (directory/), so a call's first event already has it. */
  contactOf?(number: string): ContactMatch | undefined;
}

export interface Sip extends Capability<CallMethods> {
  readonly registration: RegistrationService;
  readonly calls: CallManager;
  /** A new client: its peer-connection events reach the calls while it owns the media bridge. */
  listen(session: RpcSession): void;
  /** A (re)attached browser learns which peer connections are still ours, and whether to ring. */
  adoptMedia(browser: RpcSession): void;
  /** The browser did not come back: every call's audio is gone. */
  failAllMedia(): void;
}

/**
 * SIP (native-host/src/sip/): the registration, the calls, and the media bridge that lends them
 * the browser's WebRTC. The only capability that imports JsSIP.
 */
export function startSip(deps: SipDeps): Sip {
  const { log } = deps;
  const registration = startRegistration({ log, appVersion: APP_VERSION });
  const mediaRouter = new MediaEventRouter();
  // Spares the browser prepared for outgoing calls (issue 19): their offer goes out with no round trip.
  const spares = new PreparedOffers();
  // The latency benches' per-stage trace (VOISPEED_LOG_LEVEL=debug): each media request and its reply.
  const trace = log.child({ module: 'media-trace' });
  const tracing = trace.isLevelEnabled('debug');
  const bridge: MediaBridge = {
    request: (method, params) => {
      const browser = deps.browser();
      if (!browser) return Promise.reject(new ProtocolError(ErrorCode.DISCONNECTED, 'no browser is connected for audio'));
      if (!tracing) return browser.request(method, params);
      const pcId = (params as { pcId?: string } | undefined)?.pcId;
      trace.debug({ method, pcId }, 'media request');
      const pending = browser.request(method, params);
      pending.then(() => trace.debug({ method, pcId }, 'media reply'), () => undefined);
      return pending;
    },
    subscribe: (pcId, listener) => mediaRouter.subscribe(pcId, listener),
    nextPcId: () => mediaRouter.nextPcId(),
  };
  const gateways = startGateways({
    log,
    rtpPorts: () => deps.preferences().rtpPorts,
    pbxHost: () => sipServerHost(registration.account()),
    offerSrtp: () => deps.preferences().srtpOnTls && isTlsAccount(registration.account()),
  });
  // The one place JsSIP's peer connections are made: the account decides the media path.
  installWebRtcGlobals((config) => {
    const account = registration.account();
    const gateway = !!account && mediaPathFor(account) === 'gateway';
    // Only a call's first offer straight to the PBX: the gateway makes its own offer from the browser's.
    const takeSpare = config?.outgoingOffer && !gateway ? (iceServers: Parameters<PreparedOffers['take']>[0]) => spares.take(iceServers) : undefined;
    const browserPc = new BridgedPeerConnection(bridge, config, (err, what) => log.warn({ err, what }, 'media bridge'), takeSpare);
    if (browserPc.preparedAs) log.debug({ pcId: browserPc.pcId, spare: browserPc.preparedAs }, 'prepared offer taken');
    return gateway ? gateways.create(browserPc) : browserPc;
  });
  const calls = new CallManager({
    log,
    ua: () => registration.ua(),
    isRegistered: () => registration.snapshot().state === 'registered',
    aor: () => registration.account()?.uri,
    dialFormat: () => dialFormatOf(deps.preferences()),
    dnd: () => deps.preferences().dnd,
    // Never while another call is up (ringing, dialling or talking): an intercom must not cut in.
    // `others`: the calls before this one, asked before it is listed.
    autoAnswer: (invite, others) => {
      if (!deps.preferences().autoAnswer || others.some((c) => c.state !== 'ended')) return undefined;
      const headers = (name: string) => (invite as { getHeaders?(n: string): string[] }).getHeaders?.(name) ?? [];
      const ms = autoAnswerDelayMs({ callInfo: headers('Call-Info'), alertInfo: headers('Alert-Info') });
      return ms === undefined ? undefined : { autoAnswerAfterMs: ms };
    },
    iceServers: () => [],
    screenOffer: (sdp) => {
      const account = registration.account();
      return account && mediaPathFor(account) === 'gateway' ? screenPbxOffer(sdp) : undefined;
    },
    ...(deps.contactOf ? { contactOf: deps.contactOf } : {}),
    ring: (on) => void bridge.request('media.ring', { on }).catch((err) => log.warn({ err }, 'ringtone')),
  });
  const transfers = new AttendedTransfers(calls, log);
  const conferences = new Conferences({
    onChange: (l) => calls.onChange(l),
    list: () => calls.list(),
    setHold: (id, hold) => calls.setHold(id, hold),
    patch: (id, change) => calls.patch(id, change),
    pcIdOf: (id) => (calls.sessionOf(id).connection as unknown as BridgedPeerConnection | undefined)?.pcId,
    mix: (pcIds) => bridge.request('media.conference', { pcIds }),
    log,
  });
  registration.onUa((ua) => calls.attach(ua));
  registration.onChange((r) => deps.broadcast('registration', r));
  calls.onChange((call) => {
    deps.beforeAnnounce(call);
    deps.broadcast('call', call);
  });

  const handlers: Pick<Handlers, CallMethods> = {
    'call.dial': async (p) => {
      // Checked first so no call is created (nor journalled) that cannot have audio.
      if (!deps.browser()) throw new ProtocolError(ErrorCode.DISCONNECTED, describeFailure({ reason: 'no-browser' }));
      return { call: await calls.place(p) };
    },
    'call.answer': (p) => ({ call: calls.answer(p.id) }),
    'call.decline': (p) => ({ call: calls.decline(p.id) }),
    'call.hangup': (p) => ({ call: calls.hangup(p?.id) }),
    'call.hold': (p) => ({ call: calls.hold(p.id, p.hold) }),
    'call.mute': (p) => ({ call: calls.mute(p.id, p.mute) }),
    'call.dtmf': (p) => ({ call: calls.dtmf(p.id, p.tones) }),
    'call.transfer': async (p) => ({ call: await calls.transfer(p.target, p.id) }),
    'call.consult': async (p) => {
      if (!deps.browser()) throw new ProtocolError(ErrorCode.DISCONNECTED, describeFailure({ reason: 'no-browser' }));
      return { call: await transfers.consult(p.target, p.id, p.source) };
    },
    'call.transferComplete': (p) => ({ call: transfers.complete(p?.id) }),
    'call.transferCancel': (p) => ({ call: transfers.cancel(p?.id) }),
    'call.merge': async (p) => ({ calls: await conferences.merge(p?.ids) }),
    'call.split': async (p) => ({ calls: await conferences.split(p?.id) }),
    'call.list': () => ({ calls: calls.list() }),
    // A parsed voispeed: C/D/F runs through the handlers above, so their rules hold as they are.
    'voispeed.run': (p, ctx) => runVoispeedCommand(p, ctx, handlers),
  };

  return {
    registration,
    calls,
    events: ['registration', 'call'],
    handlers,
    listen(session) {
      session.on('media.pc', (data) => {
        if (tracing) trace.debug({ pcId: data.pcId, type: data.type, candidate: data.candidate?.candidate ?? null }, 'media event');
        if (session !== deps.browser()) return;
        if (!spares.accept(data)) mediaRouter.dispatch(data);
      });
    },
    adoptMedia(browser) {
      // This browser's engine announces its spare again in reply to media.retain.
      spares.clear();
      browser.request('media.retain', { pcIds: mediaRouter.livePcIds() }).then(
        (r) => log.info(r, 'media adopted'),
        (err: unknown) => log.warn({ err }, 'media.retain failed'),
      );
      if (calls.list().some((c) => c.state === 'ringing-in')) {
        browser.request('media.ring', { on: true }).catch((err: unknown) => log.warn({ err }, 'ringtone'));
      }
    },
    failAllMedia: () => {
      spares.clear();
      mediaRouter.failAll();
    },
    async stop() {
      calls.terminateAll();
      gateways.closeAll();
      await registration.stop();
    },
  };
}
