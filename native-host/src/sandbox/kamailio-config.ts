import { COMMON_MODPARAMS, COMMON_MODULES, CORE_SETTINGS, loadModules, quoted, usersRoute } from './kamailio-common';
import { sipRoutes, type RouteHooks } from './kamailio-routes';
import { LOOPBACK, type SandboxPorts } from './ports';
import { PRESENCE_MODULES, PRESENCE_ROUTE, presenceModparams } from './kamailio-presence';
import type { Passwords } from './users';

/** The log lines the config below writes: a contract with the tests (kamailio-log.ts). */
export { KAMAILIO_LOG_PATTERNS } from './kamailio-log';

export interface KamailioConfigInput {
  domain: string;
  ports: SandboxPorts;
  passwords: Passwords;
  /** The presence server's db_text folder (kamailio-presence.ts preparePresenceDb); none: no presence. */
  presenceDb?: string;
}

/**
 * rtpengine flags per direction (NOTES-ENV.md, verified with Chromium and baresip). DTLS=passive
 * goes ONLY on initial offers toward the WebRTC leg: on answers it broke 10 of 11 calls ("SRTP
 * output wanted, but no crypto suite was negotiated").
 */
export const RTPENGINE_FLAGS = {
  offerToWebrtc: 'ICE=force UDP/TLS/RTP/SAVPF DTLS=passive SDES-off rtcp-mux-offer generate-mid',
  reofferToWebrtc: 'ICE=force UDP/TLS/RTP/SAVPF SDES-off rtcp-mux-offer generate-mid',
  answerToWebrtc: 'ICE=force UDP/TLS/RTP/SAVPF SDES-off rtcp-mux-offer generate-mid',
  toPlainRtp: 'ICE=remove RTP/AVP DTLS=off SDES-off rtcp-mux-demux',
} as const;

/** The WebSocket profile's media relay calls and WebSocket alias handling (kamailio-routes.ts). */
const WS_HOOKS: RouteHooks = {
  aliasRequestIf: 'isflagset(FLT_SRC_WS) && !is_method("REGISTER") && is_present_hf("Contact")',
  registerNatIf: 'nat_uac_test("66")',
  aliasReplyIf: 'nat_uac_test("64")',
  onCancel: '            rtpengine_delete();\n',
  onBye: '        if (is_method("BYE")) rtpengine_delete();\n',
  branchMedia: `    if (!is_method("INVITE|UPDATE") || !has_body("application/sdp")) return;
    route(DST_TRANSPORT);
    if ($var(dst_ws) == 1) {
        if (has_totag()) {
            rtpengine_offer("${RTPENGINE_FLAGS.reofferToWebrtc}");
        } else {
            rtpengine_offer("${RTPENGINE_FLAGS.offerToWebrtc}");
        }
    } else {
        rtpengine_offer("${RTPENGINE_FLAGS.toPlainRtp}");
    }
`,
  replyMedia: `    if (!has_body("application/sdp")) return;
    if (isflagset(FLT_SRC_WS)) {
        rtpengine_answer("${RTPENGINE_FLAGS.answerToWebrtc}");
    } else {
        rtpengine_answer("${RTPENGINE_FLAGS.toPlainRtp}");
    }
`,
  onFailure: '    rtpengine_delete();\n',
  extraRoutes: `# Sets $var(dst_ws) = 1 when this branch goes to a WebSocket client.
route[DST_TRANSPORT] {
    $var(dst_ws) = 0;
    if (isbflagset(FLB_WS)) {
        $var(dst_ws) = 1;
    } else if ($du != $null) {
        if ($(du{uri.transport}) =~ "^wss?$") $var(dst_ws) = 1;
    } else if ($(ru{uri.transport}) =~ "^wss?$") {
        $var(dst_ws) = 1;
    }
}

`,
};

/** kamailio.cfg of the default profile: SIP over WebSocket (and UDP), media through rtpengine. */
export function kamailioConfig({ domain, ports, passwords, presenceDb }: KamailioConfigInput): string {
  const presence = presenceDb !== undefined ? { dbDir: presenceDb, serverAddress: `sip:presence@${LOOPBACK}:${ports.kamailioUdp}` } : undefined;
  return `#!KAMAILIO
# voispeed sandbox PBX. Generated at every \`voispeed sandbox start\`; edits are overwritten.
# Everything listens on ${LOOPBACK} only. Log line formats: see KAMAILIO_LOG_PATTERNS in kamailio-log.ts.

#!define FLT_SRC_WS 1
#!define FLT_TRUNK 2
#!define FLB_WS 6

${CORE_SETTINGS}
listen=udp:${LOOPBACK}:${ports.kamailioUdp}
listen=tcp:${LOOPBACK}:${ports.kamailioWs}
# The trunk side: what a carrier would use to hand calls to this PBX (see route[TRUNK]).
listen=udp:${LOOPBACK}:${ports.kamailioTrunk}
listen=tcp:${LOOPBACK}:${ports.kamailioTrunk}
alias=${quoted(domain)}
# The WebSocket upgrade is an HTTP GET without Content-Length.
tcp_accept_no_cl=yes
tcp_connection_lifetime=3605
enable_tls=no
server_header="Server: voispeed-sandbox"
user_agent_header="User-Agent: voispeed-sandbox"

${loadModules([...COMMON_MODULES, 'xhttp', 'websocket', 'rtpengine', ...(presence ? PRESENCE_MODULES : [])])}

${COMMON_MODPARAMS}
modparam("websocket", "sub_protocols", 1)
modparam("rtpengine", "rtpengine_sock", "udp:${LOOPBACK}:${ports.rtpengineNg}")
# rtpengine is started and pinged first; should it still miss a ping, retry after 2 s, not 60.
modparam("rtpengine", "rtpengine_disable_tout", 2)
${presence ? `\n${presenceModparams(presence)}\n` : ''}
${usersRoute(domain, passwords)}

event_route[xhttp:request] {
    set_reply_close();
    set_reply_no_connect();
    if ($(hdr(Upgrade){s.tolower}) == "websocket" && $(hdr(Connection){s.tolower}) =~ "upgrade" && $rm == "GET") {
        # The advertised URL is ws://${LOOPBACK}:${ports.kamailioWs}/ws; a bare / is accepted too.
        if ($hu == "/ws" || $hu == "/") {
            if (ws_handle_handshake()) exit;
        }
    }
    xhttp_reply("404", "Not Found", "text/plain", "use ws://${LOOPBACK}:${ports.kamailioWs}/ws\\n");
}

${presence ? PRESENCE_ROUTE : ''}
${sipRoutes(domain, ports.kamailioTrunk, { ...WS_HOOKS, presence: presence !== undefined })}`;
}

export interface KamailioLaunch {
  args: string[];
  /** The argv element that identifies this sandbox's Kamailio and all its workers (the cfg path). */
  marker: string;
}

/**
 * Foreground (-DD) so the pid we record is the main process and its workers share its process
 * group; -E logs to stderr, which the supervisor sends to kamailio.log. -Y keeps the runtime files
 * (normally /run/kamailio) inside the sandbox, so it runs unprivileged and side by side.
 */
export function kamailioLaunch(cfgFile: string, runDir: string, pidFile: string): KamailioLaunch {
  return {
    marker: cfgFile,
    args: ['-DD', '-E', '-Y', runDir, '-P', pidFile, '-f', cfgFile, '-m', '64', '-M', '8'],
  };
}
