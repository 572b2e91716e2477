import { LOOPBACK, type SandboxPorts } from './ports';
import { ANSWERING_BOT, type Passwords } from './users';

/** The log lines the config below writes: a contract with the tests (kamailio-log.ts). */
export { KAMAILIO_LOG_PATTERNS } from './kamailio-log';
import { CARRIER_ROUTES } from './kamailio-carrier-routes';

export interface KamailioConfigInput {
  domain: string;
  ports: SandboxPorts;
  passwords: Passwords;
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

/** A value placed inside a double-quoted Kamailio string. */
function quoted(value: string): string {
  if (!/^[A-Za-z0-9._+:/@-]*$/.test(value)) throw new Error(`unsafe value for kamailio.cfg: ${JSON.stringify(value)}`);
  return `"${value}"`;
}

export function kamailioConfig({ domain, ports, passwords }: KamailioConfigInput): string {
  const users = Object.entries(passwords)
    .map(([user, pw]) => `    $sht(users=>${user}) = ${quoted(pw)};`)
    .join('\n');
  const realm = quoted(domain);
  return `#!KAMAILIO
# voispeed sandbox PBX. Generated at every \`voispeed sandbox start\`; edits are overwritten.
# Everything listens on ${LOOPBACK} only. Log line formats: see KAMAILIO_LOG_PATTERNS in kamailio-log.ts.

#!define FLT_SRC_WS 1
#!define FLT_TRUNK 2
#!define FLB_WS 6

debug=2
log_stderror=yes
memdbg=5
memlog=5
children=2
tcp_children=2
auto_aliases=no
dns=no
rev_dns=no
dns_try_ipv6=no
dns_try_naptr=no
use_dns_cache=no
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

loadmodule "kex.so"
loadmodule "tm.so"
loadmodule "tmx.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "sanity.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "nathelper.so"
loadmodule "auth.so"
loadmodule "htable.so"
loadmodule "xhttp.so"
loadmodule "websocket.so"
loadmodule "rtpengine.so"

# Registrations live in memory: a restarted sandbox starts empty and every UA re-registers.
modparam("usrloc", "db_mode", 0)
# A WebSocket client that went away without un-REGISTER (tab closed, test killed) is dropped at
# once, instead of being forked to (and failing) until its registration expires.
modparam("usrloc", "handle_lost_tcp", 1)
modparam("registrar", "max_expires", 3600)
# No GRUUs: a phone that gets one (Linphone asks for it) puts \`;gr=\` in its dialog Contact, and
# in-dialog requests toward that URI (the sandbox domain, which does not resolve) never arrived:
# the UI's ACK and BYE were lost (478). Without GRUU every UA's own Contact is used, as most PBXs do.
modparam("registrar", "gruu_enabled", 0)
modparam("registrar", "received_avp", "$avp(RECEIVED)")
modparam("nathelper", "received_avp", "$avp(RECEIVED)")
modparam("nathelper", "natping_interval", 0)
# Two Record-Route headers when the transport changes (WebSocket <-> UDP).
modparam("rr", "enable_double_rr", 1)
modparam("rr", "append_fromtag", 1)
modparam("htable", "htable", "users=>size=4;autoexpire=0;")
modparam("websocket", "sub_protocols", 1)
modparam("rtpengine", "rtpengine_sock", "udp:${LOOPBACK}:${ports.rtpengineNg}")
# rtpengine is started and pinged first; should it still miss a ping, retry after 2 s, not 60.
modparam("rtpengine", "rtpengine_disable_tout", 2)

# Static users: extension -> plain password (digest realm ${domain}).
event_route[htable:mod-init] {
${users}
}

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

request_route {
    xlog("L_NOTICE", "REQ $rm $ru from $pr:$si:$sp\\n");
    # Arrival time of each new call, for latency benchmarks (seconds.microseconds, this machine's clock).
    if (is_method("INVITE") && !has_totag()) {
        xlog("L_NOTICE", "TIME $TV(Sn) INVITE $ru call-id $ci\\n");
    }
    # Hold evidence for tests: the direction a re-INVITE asks for (rtpengine passes it through).
    if (is_method("INVITE") && has_totag() && has_body("application/sdp")) {
        if (search_body("a=(sendonly|inactive)")) {
            xlog("L_NOTICE", "SDP hold in re-INVITE $ru from $pr:$si:$sp\\n");
        } else {
            xlog("L_NOTICE", "SDP resume in re-INVITE $ru from $pr:$si:$sp\\n");
        }
    }
    if (is_present_hf("X-VOIspeed-ExtID")) {
        xlog("L_NOTICE", "HDR X-VOIspeed-ExtID=$hdr(X-VOIspeed-ExtID) in $rm $ru\\n");
    }

    if (!mf_process_maxfwd_header("10")) {
        sl_send_reply("483", "Too Many Hops");
        exit;
    }
    if (!sanity_check("17895", "7")) exit;

    force_rport();
    if ($pr == "ws" || $pr == "wss") setflag(FLT_SRC_WS);
    if ($Rp == ${ports.kamailioTrunk} && ($pr == "udp" || $pr == "tcp")) setflag(FLT_TRUNK);
    # WebSocket clients put an unroutable .invalid host in Contact: remember where they really are.
    if (isflagset(FLT_SRC_WS) && !is_method("REGISTER") && is_present_hf("Contact")) add_contact_alias();

    if (is_method("CANCEL")) {
        if (t_check_trans()) {
            rtpengine_delete();
            route(RELAY);
        }
        exit;
    }

    if (!is_method("ACK")) {
        if (t_precheck_trans()) {
            t_check_trans();
            exit;
        }
        t_check_trans();
    }

    route(WITHINDLG);

    remove_hf("Route");
    if (is_method("INVITE|SUBSCRIBE|REFER")) record_route();

    route(TRUNK);

    if (is_method("REGISTER")) route(REGISTRAR);

    if (is_method("OPTIONS") && $rU == $null) {
        sl_send_reply("200", "OK");
        exit;
    }
    if (is_method("PUBLISH|SUBSCRIBE")) {
        sl_send_reply("404", "No presence here");
        exit;
    }
    if ($rU == $null) {
        sl_send_reply("484", "Address Incomplete");
        exit;
    }

    route(TRANSFER);
    route(AUTH);
    route(DIALPLAN);
    route(LOCATION);
}

route[WITHINDLG] {
    if (!has_totag()) return;
    if (loose_route()) {
        handle_ruri_alias();
        if (is_method("BYE")) rtpengine_delete();
        route(RELAY);
        exit;
    }
    if (is_method("ACK")) {
        if (t_check_trans()) route(RELAY);
        exit;
    }
    sl_send_reply("404", "Not here");
    exit;
}

route[REGISTRAR] {
    if ($au == $null || $sht(users=>$au) == $null) {
        if ($au != $null) {
            sl_send_reply("403", "Unknown user");
            exit;
        }
        auth_challenge(${realm}, "1");
        exit;
    }
    # checks=1: the authenticated user must be the one in To, so 1001 cannot register as 1002.
    if (!pv_auth_check(${realm}, "$sht(users=>$au)", "0", "1")) {
        auth_challenge(${realm}, "1");
        exit;
    }
    consume_credentials();
    if (isflagset(FLT_SRC_WS)) setbflag(FLB_WS);
    if (nat_uac_test("66")) fix_nated_register();
    if (!save("location")) sl_reply_error();
    exit;
}

${CARRIER_ROUTES}
# Requests that start something (calls, MESSAGE, REFER...) need credentials; OPTIONS to a user
# does not, so the start-up probe can ask a bot whether it is registered without a password.
route[AUTH] {
    if (is_method("OPTIONS|ACK")) return;
    if ($au == $null || $sht(users=>$au) == $null) {
        if ($au != $null) {
            sl_send_reply("403", "Unknown user");
            exit;
        }
        auth_challenge(${realm}, "1");
        exit;
    }
    # checks=1: the authenticated user must be the caller in From.
    if (!pv_auth_check(${realm}, "$sht(users=>$au)", "0", "1")) {
        auth_challenge(${realm}, "1");
        exit;
    }
    consume_credentials();
}

# A closed world: any domain is ours, and any user part that is not an extension (0261616161,
# +390261616161, 187...) is sent to the answering bot, so every click reaches a real far end.
route[DIALPLAN] {
    if ($sht(users=>$rU) != $null) return;
    # Failure numbers: a far end that answers with that status, for busy/not-found/declined tests.
    if (is_method("INVITE") && $rU =~ "^(404|480|486|603)$") {
        xlog("L_NOTICE", "FAIL $rU for $ru\\n");
        switch ($rU) {
            case "404": sl_send_reply("404", "Not Found"); break;
            case "480": sl_send_reply("480", "Temporarily Unavailable"); break;
            case "486": sl_send_reply("486", "Busy Here"); break;
            default: sl_send_reply("603", "Decline");
        }
        exit;
    }
    $var(from_uri) = $ru;
    $ru = ${quoted(`sip:${ANSWERING_BOT}@${domain}`)};
    xlog("L_NOTICE", "ROUTE $var(from_uri) -> $ru (not a local extension)\\n");
}

route[LOCATION] {
    # Kept for the FWD log line: after lookup the R-URI is the contact, not the extension.
    $avp(aor) = $ru;
    if (!lookup("location")) {
        $var(rc) = $rc;
        t_newtran();
        switch ($var(rc)) {
            case -1:
            case -3:
                t_reply("404", "Not Found");
                exit;
            case -2:
                t_reply("405", "Method Not Allowed");
                exit;
        }
    }
    route(RELAY);
}

route[RELAY] {
    if (is_method("INVITE|BYE|UPDATE|CANCEL|ACK|REFER|MESSAGE|INFO|NOTIFY|OPTIONS")) {
        if (!t_is_set("branch_route")) t_on_branch("MANAGE_BRANCH");
    }
    if (is_method("INVITE|UPDATE")) {
        if (!t_is_set("onreply_route")) t_on_reply("MANAGE_REPLY");
    }
    if (is_method("INVITE")) {
        if (!t_is_set("failure_route")) t_on_failure("MANAGE_FAILURE");
    }
    if (!t_relay()) sl_reply_error();
    exit;
}

# Sets $var(dst_ws) = 1 when this branch goes to a WebSocket client.
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

branch_route[MANAGE_BRANCH] {
    if ($avp(aor) != $null) {
        $var(fwd_uri) = $avp(aor);
    } else {
        $var(fwd_uri) = $ru;
    }
    if ($du != $null) {
        xlog("L_NOTICE", "FWD $rm $var(fwd_uri) to $du\\n");
    } else {
        xlog("L_NOTICE", "FWD $rm $var(fwd_uri) to $ru\\n");
    }
    if (!is_method("INVITE|UPDATE") || !has_body("application/sdp")) return;
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
}

onreply_route[MANAGE_REPLY] {
    if (nat_uac_test("64")) add_contact_alias();
    if (!has_body("application/sdp")) return;
    if (isflagset(FLT_SRC_WS)) {
        rtpengine_answer("${RTPENGINE_FLAGS.answerToWebrtc}");
    } else {
        rtpengine_answer("${RTPENGINE_FLAGS.toPlainRtp}");
    }
}

failure_route[MANAGE_FAILURE] {
    if (t_is_canceled()) exit;
    rtpengine_delete();
}

reply_route {
    xlog("L_NOTICE", "RPL $rs $rm from $pr:$si:$sp\\n");
    if ($rs == 200 && $rm == "INVITE") {
        xlog("L_NOTICE", "TIME $TV(Sn) ANSWER call-id $ci\\n");
    }
}
`;
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
