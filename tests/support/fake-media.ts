import type { HostProcess } from './host-process';

/**
 * Answers the host's media.* requests the way a browser would, with a fixed plain-RTP PCMU SDP and
 * gathering already complete. Enough for signalling tests without a browser (NOTES-ENV: such a
 * fake completes INVITE → 407 → 200 → ACK → BYE against Kamailio).
 */
export function fakeMediaEngine(host: HostProcess, port = 40000, options: { webrtc?: boolean } = {}) {
  const pcs = new Map<string, { local: { type: string; sdp: string } | null; remote: { type: string; sdp: string } | null; signaling: string; tones: string }>();
  const requests: { method: string; params: Record<string, unknown> }[] = [];
  // A direct-SIP account's calls go through the host's media gateway, which answers the browser's
  // offer with werift: that needs a WebRTC-shaped offer (ICE credentials, a DTLS fingerprint). Its
  // one candidate leads nowhere, so the call is set up in signalling and carries no audio.
  const webrtcSdp = (type: string) => ({
    type,
    sdp: [
      'v=0',
      `o=- ${port} 1 IN IP4 127.0.0.1`,
      's=-',
      't=0 0',
      'a=group:BUNDLE 0',
      'm=audio 9 UDP/TLS/RTP/SAVPF 0 126',
      'c=IN IP4 0.0.0.0',
      `a=candidate:1 1 udp 2122260223 127.0.0.1 ${port} typ host`,
      'a=ice-ufrag:fake',
      'a=ice-pwd:fakefakefakefakefakefake',
      'a=fingerprint:sha-256 6B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08',
      'a=setup:actpass',
      'a=mid:0',
      'a=sendrecv',
      'a=rtcp-mux',
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:126 telephone-event/8000',
      'a=ssrc:1234 cname:fake',
      '',
    ].join('\r\n'),
  });
  const sdp = (type: string) => (options.webrtc && type === 'offer' ? webrtcSdp(type) : {
    type,
    sdp: ['v=0', `o=- ${port} 1 IN IP4 127.0.0.1`, 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} RTP/AVP 0 101`, 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=sendrecv', ''].join('\r\n'),
  });
  const snapshot = (id: string) => {
    const pc = pcs.get(id)!;
    return {
      signalingState: pc.signaling,
      iceGatheringState: 'complete',
      iceConnectionState: 'connected',
      connectionState: 'connected',
      localDescription: pc.local,
      remoteDescription: pc.remote,
      toneBuffer: pc.tones,
    };
  };
  const original = host.frames.push.bind(host.frames);
  host.frames.push = (chunk: Buffer) => {
    const before = host.frames.messages.length;
    original(chunk);
    for (const m of host.frames.messages.slice(before) as { id?: string; method?: string; params?: Record<string, unknown> }[]) {
      if (typeof m.id !== 'string' || !m.method) continue;
      requests.push({ method: m.method, params: m.params ?? {} });
      const p = m.params ?? {};
      const id = String(p.pcId ?? '');
      let result: unknown = {};
      switch (m.method) {
        case 'media.pc.create':
          pcs.set(id, { local: null, remote: null, signaling: 'stable', tones: '' });
          result = { snapshot: snapshot(id) };
          break;
        case 'media.pc.createOffer':
          result = { description: sdp('offer'), snapshot: snapshot(id) };
          break;
        case 'media.pc.createAnswer':
          result = { description: sdp('answer'), snapshot: snapshot(id) };
          break;
        case 'media.pc.setLocalDescription': {
          const pc = pcs.get(id)!;
          pc.local = p.description as { type: string; sdp: string };
          pc.signaling = pc.local.type === 'offer' ? 'have-local-offer' : 'stable';
          result = { snapshot: snapshot(id) };
          break;
        }
        case 'media.pc.setRemoteDescription': {
          const pc = pcs.get(id)!;
          pc.remote = p.description as { type: string; sdp: string };
          pc.signaling = pc.remote.type === 'offer' ? 'have-remote-offer' : 'stable';
          result = { snapshot: snapshot(id) };
          break;
        }
        case 'media.pc.insertDtmf':
          pcs.get(id)!.tones = '';
          result = { snapshot: snapshot(id) };
          break;
        case 'media.pc.addMicrophone':
        case 'media.pc.setMicEnabled':
          result = { snapshot: snapshot(id) };
          break;
        case 'media.pc.close':
          pcs.delete(id);
          break;
        default:
          break;
      }
      host.send({ id: m.id, result });
    }
  };
  return { requests, openPcs: () => pcs.size };
}
