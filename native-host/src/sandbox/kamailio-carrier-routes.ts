import { LOOPBACK } from './ports';

/**
 * The routes that let the sandbox play a carrier (issue 12 item 5), spliced into kamailio.cfg
 * (kamailio-config.ts): calls on the trunk port with any caller id and no credentials, and the
 * transfer calls our users ask a far end to place. Their log lines are TRUNK and XFER
 * (kamailio-log.ts).
 */
export const CARRIER_ROUTES = `# The trunk port plays a carrier: a new call from 127.0.0.1 needs no credentials and may carry any
# caller id (a national or international number, anonymous, a display name); it is routed like any
# other call, so it reaches a UI user (1001-1004) or, for an outside number, the answering bot.
# Anything but INVITE, ACK, CANCEL, OPTIONS and in-dialog requests is refused on this port.
route[TRUNK] {
    if (!isflagset(FLT_TRUNK)) return;
    if ($si != "${LOOPBACK}") {
        sl_send_reply("403", "Trunk accepts 127.0.0.1 only");
        exit;
    }
    if (is_method("INVITE")) {
        if ($rU == $null) {
            sl_send_reply("484", "Address Incomplete");
            exit;
        }
        if ($fn == $null || $fn == "") {
            $var(display) = "-";
        } else {
            $var(display) = $fn;
        }
        xlog("L_NOTICE", "TRUNK INVITE $ru from $fu display $var(display)\n");
        route(DIALPLAN);
        route(LOCATION);
        exit;
    }
    if (is_method("OPTIONS|ACK")) return;
    sl_send_reply("403", "Only calls on the trunk");
    exit;
}

# A blind transfer asked by one of our users: the transferee's new INVITE carries Referred-By with
# that user. A far end that is not one of our users (an outside caller, a carrier's UA) has no
# credentials here, so it is let through, as a PBX does for calls it asked to be placed itself.
route[TRANSFER] {
    if (!is_method("INVITE") || has_totag() || !is_present_hf("Referred-By")) return;
    if ($si != "${LOOPBACK}") return;
    $var(referrer) = $(hdr(Referred-By){nameaddr.uri});
    if ($(var(referrer){uri.user}) == $null || $sht(users=>$(var(referrer){uri.user})) == $null) return;
    # With credentials (a bot transferring), the normal check below applies.
    if (is_present_hf("Proxy-Authorization")) return;
    xlog("L_NOTICE", "XFER INVITE $ru referred-by $var(referrer)\n");
    route(DIALPLAN);
    route(LOCATION);
    exit;
}
`;
