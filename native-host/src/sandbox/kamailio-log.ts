/**
 * Lines Kamailio writes to kamailio.log, after its own prefix (` 3(1234) NOTICE: <script>: `).
 * Tests grep for them, so the format is a contract:
 *
 *   REQ <METHOD> <R-URI> from <proto>:<ip>:<port>        every request received, before any routing
 *   ROUTE <R-URI> -> <new R-URI> (not a local extension) a number that is not an extension, sent to the bot
 *   FWD <METHOD> <target> to <destination>                every branch relayed; target = the extension's AOR
 *   HDR X-VOIspeed-ExtID=<value> in <METHOD> <R-URI>      the external id of voispeed:{n},{ext_ID}, when present
 *   TIME <unix s.micros> INVITE <R-URI> call-id <Call-ID>  when a new INVITE arrived (benchmarks)
 *   TIME <unix s.micros> ANSWER call-id <Call-ID>          when its 200 OK came back
 *   TIME <unix s.micros> RINGING call-id <Call-ID>         when a 180 to an INVITE came back
 *   TIME <unix s.micros> BYE call-id <Call-ID>             when a BYE arrived (each copy of it)
 *   PRES <METHOD> <R-URI> event <Event> from <source>      a PUBLISH or SUBSCRIBE the presence server handles
 *   SDP hold|resume in re-INVITE <R-URI> from <source>     the direction an in-dialog re-INVITE asks for
 *   FAIL <code> for <R-URI>                                an INVITE to 404, 480, 486 or 603, answered with that status
 *                                                         for initial requests, the R-URI in a dialog;
 *                                                         destination = the registered contact or next hop
 *   RPL <code> <METHOD> from <proto>:<ip>:<port>          every reply received
 *   TRUNK INVITE <R-URI> from <From URI> display <name>   a new call on the trunk port (no credentials);
 *                                                         <name>: From's display name as sent ("Mario Rossi"), or -
 *   XFER INVITE <R-URI> referred-by <URI>                 a transfer call (Referred-By one of our users)
 *                                                         let through without credentials
 *
 * e.g. `REQ INVITE sip:0261616161@sandbox.voispeed.test from udp:127.0.0.1:45678`, then
 * `ROUTE sip:0261616161@sandbox.voispeed.test -> sip:2001@sandbox.voispeed.test (not a local extension)`,
 * `FWD INVITE sip:2001@sandbox.voispeed.test to sip:2001-0x55fd847dcdb0@127.0.0.1:59970` (a bot), or
 * `FWD INVITE sip:1001@sandbox.voispeed.test to sip:127.0.0.1:52770;transport=ws` (a WebSocket UA).
 */
export const KAMAILIO_LOG_PATTERNS = {
  request: /REQ (\S+) (\S+) from (\w+):([\d.]+):(\d+)$/m,
  route: /ROUTE (\S+) -> (\S+) \(not a local extension\)$/m,
  forward: /FWD (\S+) (\S+) to (\S+)$/m,
  reply: /RPL (\d{3}) (\S+) from (\w+):([\d.]+):(\d+)$/m,
  trunk: /TRUNK INVITE (\S+) from (\S+) display (.*)$/m,
  transfer: /XFER INVITE (\S+) referred-by (\S+)$/m,
} as const;
