import { CARRIER_ROUTES } from './kamailio-carrier-routes';
import { quoted } from './kamailio-common';
import { ANSWERING_BOT } from './users';

/**
 * What differs between the profiles inside the shared routes: the media relay calls (rtpengine in
 * the WebSocket profile, none in the classic one) and which clients need their Contact aliased
 * (WebSocket clients' `.invalid` hosts; in the classic profile TCP and TLS clients, whose
 * connection is the only way back to them). Each value is cfg text placed as is.
 */
export interface RouteHooks {
  /** Condition: an initial request whose Contact gets `;alias=` (the address it really came from). */
  aliasRequestIf: string;
  /** Condition: a REGISTER whose Contact is saved with the address it came from. */
  registerNatIf: string;
  /** Condition: a reply (INVITE/UPDATE) whose Contact gets `;alias=`. */
  aliasReplyIf: string;
  /** Statements (full lines, 12 spaces deep) on a CANCEL that matched its transaction. */
  onCancel: string;
  /** Statements (full lines, 8 spaces deep) on an in-dialog request before relaying. */
  onBye: string;
  /** Statements at the end of branch_route[MANAGE_BRANCH] (full lines). */
  branchMedia: string;
  /** Statements at the end of onreply_route[MANAGE_REPLY] (full lines). */
  replyMedia: string;
  /** Statements in failure_route[MANAGE_FAILURE] after the cancel check (full lines). */
  onFailure: string;
  /** Whole routes placed before branch_route[MANAGE_BRANCH] (each followed by a blank line). */
  extraRoutes: string;
  /**
   * The presence server is loaded (kamailio-presence.ts): PUBLISH/SUBSCRIBE go to route[PRESENCE],
   * new INVITEs are dialog-tracked (pua_dialoginfo publishes them). Without it they get 404.
   */
  presence?: boolean;
}

/**
 * request_route and everything it calls, up to reply_route: registrar with digest auth, the dial
 * plan (non-extensions to the answering bot), the trunk, location lookup and relaying.
 */
export function sipRoutes(domain: string, trunkPort: number, h: RouteHooks): string {
  const realm = quoted(domain);
  return `request_route {
    xlog("L_NOTICE", "REQ $rm $ru from $pr:$si:$sp\\n");
    # Arrival time of each new call, for latency benchmarks (seconds.microseconds, this machine's clock).
    if (is_method("INVITE") && !has_totag()) {
        xlog("L_NOTICE", "TIME $TV(Sn) INVITE $ru call-id $ci\\n");
    }
    if (is_method("BYE")) {
        xlog("L_NOTICE", "TIME $TV(Sn) BYE call-id $ci\\n");
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
    if ($Rp == ${trunkPort} && ($pr == "udp" || $pr == "tcp")) setflag(FLT_TRUNK);
    # WebSocket clients put an unroutable .invalid host in Contact: remember where they really are.
${
  h.presence
    ? `    if (${h.aliasRequestIf}) {
        # presence stores the Contact it parses: the alias must be in the message itself, not a lump.
        if (is_method("SUBSCRIBE")) set_contact_alias(); else add_contact_alias();
    }`
    : `    if (${h.aliasRequestIf}) add_contact_alias();`
}

    if (is_method("CANCEL")) {
        if (t_check_trans()) {
${h.onCancel}            route(RELAY);
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
${h.presence ? '    route(PRESENCE);' : `    if (is_method("PUBLISH|SUBSCRIBE")) {
        sl_send_reply("404", "No presence here");
        exit;
    }`}
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
${h.onBye}        route(RELAY);
        exit;
    }
    if (is_method("ACK")) {
        if (t_check_trans()) route(RELAY);
        exit;
    }
${h.presence ? `    # A subscription refresh sent straight to the presence server's Contact (server_address).
    if (is_method("SUBSCRIBE") && uri == myself) route(PRESENCE);
` : ''}    sl_send_reply("404", "Not here");
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
    if (${h.registerNatIf}) fix_nated_register();
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
    # A phone's own address (a pick-up's INVITE with Replaces goes to the caller's Contact): relayed
    # there as is, not to the bot.
    if ($rd =~ "^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$" && !(uri == myself)) return;
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
${h.presence ? `    # pua_dialoginfo publishes the state of every call tracked here (colleagues' lamps): calls from
    # users, from the trunk and transfer calls all pass this way.
    if (is_method("INVITE") && !has_totag()) dlg_manage();
` : ''}    if ($rd =~ "^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$" && !(uri == myself)) route(RELAY);
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

${h.extraRoutes}branch_route[MANAGE_BRANCH] {
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
${h.branchMedia}}

onreply_route[MANAGE_REPLY] {
    if (${h.aliasReplyIf}) add_contact_alias();
${h.replyMedia}}

failure_route[MANAGE_FAILURE] {
    if (t_is_canceled()) exit;
${h.onFailure}}

reply_route {
    xlog("L_NOTICE", "RPL $rs $rm from $pr:$si:$sp\\n");
    if ($rs == 200 && $rm == "INVITE") {
        xlog("L_NOTICE", "TIME $TV(Sn) ANSWER call-id $ci\\n");
    }
    if ($rs == 180 && $rm == "INVITE") {
        xlog("L_NOTICE", "TIME $TV(Sn) RINGING call-id $ci\\n");
    }
}
`;
}
