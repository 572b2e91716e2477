/**
 * SDP as real endpoints write it (shapes copied from their traces: line order, attributes, the
 * payload types each uses), for the gateway's rewriting tests.
 */
const crlf = (lines: string[]) => lines.join('\r\n') + '\r\n';

/** Asterisk 20 chan_pjsip offering to a phone: ulaw, alaw, gsm, telephone-event 101. */
export const ASTERISK_OFFER = crlf([
  'v=0',
  'o=- 1893744561 1893744561 IN IP4 192.168.1.10',
  's=Asterisk',
  'c=IN IP4 192.168.1.10',
  't=0 0',
  'm=audio 12822 RTP/AVP 0 8 3 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:3 GSM/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=ptime:20',
  'a=maxptime:150',
  'a=sendrecv',
]);

/** Asterisk putting us on hold (re-INVITE, music on hold follows). */
export const ASTERISK_HOLD = ASTERISK_OFFER.replace('1893744561 1893744561', '1893744561 1893744562').replace('a=sendrecv', 'a=sendonly');

/** FreeSWITCH 1.10 offering SDES-SRTP (its default when the profile asks for it), PCMA first. */
export const FREESWITCH_SRTP_OFFER = crlf([
  'v=0',
  'o=FreeSWITCH 1702300000 1702300001 IN IP4 10.0.0.5',
  's=FreeSWITCH',
  'c=IN IP4 10.0.0.5',
  't=0 0',
  'm=audio 24578 RTP/SAVP 8 0 9 101 13',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=rtpmap:13 CN/8000',
  'a=crypto:1 AES_CM_256_HMAC_SHA1_80 inline:ntkbPwa8r2sRNk3rxJFnjRgyIcUmJL1FpfvDrwTp1NMfB6QsxfkbuM7dz7FW9Q==',
  'a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^31',
  'a=ptime:20',
  'a=rtcp:24579 IN IP4 10.0.0.5',
]);

/** FreeSWITCH answering our offer with PCMA only, RTCP multiplexed. */
export const FREESWITCH_ANSWER = crlf([
  'v=0',
  'o=FreeSWITCH 1702300100 1702300101 IN IP4 10.0.0.5',
  's=FreeSWITCH',
  'c=IN IP4 10.0.0.5',
  't=0 0',
  'm=audio 30112 RTP/AVP 8 101',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=ptime:20',
  'a=rtcp-mux',
  'a=sendrecv',
]);

/** baresip 1.0 with audio_codecs=PCMU: no rtpmap for the static type, telephone-event at 101. */
export const BARESIP_OFFER = crlf([
  'v=0',
  'o=- 1316478029 2958521163 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 10274 RTP/AVP 0 101',
  'b=AS:88',
  'a=fmtp:101 0-15',
  'a=rtpmap:101 telephone-event/8000',
  'a=rtcp:10275',
  'a=sendrecv',
  'a=label:1',
  'a=ssrc:1049386524 cname:sip:3001@sandbox.invalid',
  'a=rtcp-rsize',
]);

/** Chromium 156's offer (abridged to what matters: codec list, BUNDLE, ICE/DTLS). */
export const CHROMIUM_OFFER = crlf([
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'a=extmap-allow-mixed',
  'a=msid-semantic: WMS',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126',
  'c=IN IP4 0.0.0.0',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=candidate:1 1 udp 2122260223 127.0.0.1 51302 typ host generation 0 network-id 1',
  'a=ice-ufrag:Xk9s',
  'a=ice-pwd:0zKqs3c1QnNf8wMy2q5tGhb7',
  'a=ice-options:trickle',
  'a=fingerprint:sha-256 6B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08',
  'a=setup:actpass',
  'a=mid:0',
  'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  'a=sendrecv',
  'a=msid:- 2f4b7c8e',
  'a=rtcp-mux',
  'a=rtcp-rsize',
  'a=rtpmap:111 opus/48000/2',
  'a=rtcp-fb:111 transport-cc',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:63 red/48000/2',
  'a=fmtp:63 111/111',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:13 CN/8000',
  'a=rtpmap:110 telephone-event/48000',
  'a=rtpmap:126 telephone-event/8000',
  'a=ssrc:3735928559 cname:abcdEFGHijkl',
]);

/** Firefox ESR 153's offer (abridged): telephone-event at 101, PCMA before PCMU. */
export const FIREFOX_OFFER = crlf([
  'v=0',
  'o=mozilla...THIS_IS_SDPARTA-153.0 8473619204711203431 0 IN IP4 0.0.0.0',
  's=-',
  't=0 0',
  'a=fingerprint:sha-256 1C:42:0A:6D:5B:26:F7:45:A8:61:35:42:8B:F8:B2:3F:CB:1E:5A:3A:39:2E:77:41:B0:08:40:CC:8E:32:1C:5E',
  'a=group:BUNDLE 0',
  'a=ice-options:trickle',
  'a=msid-semantic:WMS *',
  'm=audio 9 UDP/TLS/RTP/SAVPF 109 9 0 8 101',
  'c=IN IP4 0.0.0.0',
  'a=sendrecv',
  'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  'a=fmtp:109 maxplaybackrate=48000;stereo=1;useinbandfec=1',
  'a=fmtp:101 0-15',
  'a=ice-pwd:1d3c2b7e0f3a4d5c6b7a8f9e0d1c2b3a',
  'a=ice-ufrag:6e2f1a0b',
  'a=mid:0',
  'a=msid:{5a1c6f0e-1111-2222-3333-444455556666} {aaaa-bbbb}',
  'a=rtcp-mux',
  'a=rtpmap:109 opus/48000/2',
  'a=rtpmap:9 G722/8000/1',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=setup:actpass',
  'a=ssrc:2882400001 cname:{0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0}',
]);
