import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Kamailio's presence server in the sandbox: the `dialog` event package (RFC 4235, colleagues'
 * lamps: pua_dialoginfo publishes every call's dialog state, presence_dialoginfo serves it) and
 * `message-summary` (RFC 3842, voicemail waiting: presence_mwi). Debian: kamailio-presence-modules.
 *
 * The presence modules need a database. db_text (in the kamailio package itself) needs no server:
 * tables are plain files, copied fresh from Debian's empty ones at every start, so a restarted
 * sandbox forgets every subscription — which is what a PBX restart looks like to a phone.
 */

/** Where Debian keeps db_text's empty tables (package kamailio). */
export const DBTEXT_SCHEMA_DIR = '/usr/share/kamailio/dbtext/kamailio';

/** The tables presence and pua read; `version` holds every table's schema version. */
export const PRESENCE_TABLES = ['version', 'presentity', 'active_watchers', 'watchers', 'xcap', 'pua'] as const;

export const PRESENCE_MODULES = ['db_text', 'dialog', 'presence', 'presence_dialoginfo', 'presence_mwi', 'pua', 'pua_dialoginfo'] as const;

/** Fresh empty tables in `<sandbox>/presence-db`. */
export async function preparePresenceDb(sandboxDir: string, schemaDir = DBTEXT_SCHEMA_DIR): Promise<string> {
  const dbDir = join(sandboxDir, 'presence-db');
  await rm(dbDir, { recursive: true, force: true });
  await mkdir(dbDir, { recursive: true, mode: 0o700 });
  for (const table of PRESENCE_TABLES) await copyFile(join(schemaDir, table), join(dbDir, table));
  return dbDir;
}

/**
 * An absolute path inside a Kamailio string. The sandbox folder may hold a space (it is quoted);
 * a quote, backslash or control character would end or break the string, so it is refused.
 */
export function quotedPath(path: string): string {
  if (!path.startsWith('/') || /["\\\x00-\x1f\x7f]/.test(path)) throw new Error(`unsafe path for kamailio.cfg: ${JSON.stringify(path)}`);
  return `"${path}"`;
}

export interface PresenceConfigInput {
  /** presence-db folder (preparePresenceDb). */
  dbDir: string;
  /** Where pua_dialoginfo sends its PUBLISHes and the Contact of every NOTIFY: this Kamailio over UDP. */
  serverAddress: string;
}

/** modparams of the presence modules (after loadModules(PRESENCE_MODULES)). */
export function presenceModparams({ dbDir, serverAddress }: PresenceConfigInput): string {
  const url = `"text://${quotedPath(dbDir).slice(1)}`;
  return `# Presence server (kamailio-presence.ts): dialog and message-summary event packages.
modparam("presence", "db_url", ${url})
modparam("pua", "db_url", ${url})
modparam("presence", "server_address", "${serverAddress}")
# Subscriptions and published states in memory; db_text is only there because the modules insist.
modparam("presence", "subs_db_mode", 0)
modparam("presence", "publ_cache", 1)
modparam("presence", "min_expires", 30)
modparam("presence", "max_expires", 3600)
modparam("pua", "db_mode", 0)
# Every call is published (dlg_manage() on each new INVITE), with Call-ID, tags, and the local and
# remote identities: a watcher learns who is calling a ringing colleague, and can pick the call up
# with Replaces.
modparam("pua", "outbound_proxy", "${serverAddress}")
modparam("pua_dialoginfo", "include_callid", 1)
modparam("pua_dialoginfo", "include_tags", 1)
modparam("pua_dialoginfo", "include_localremote", 1)
modparam("pua_dialoginfo", "caller_confirmed", 1)
modparam("pua_dialoginfo", "override_lifetime", 300)
modparam("dialog", "default_timeout", 7200)
# Known limit: a call answered within ~1 ms of ringing (a bot calling a bot) can make pua publish
# "confirmed" without the ETag of its "early" PUBLISH still in flight; presence then keeps two
# documents and the stale "early" one until it expires. Phones that ring for a moment never do.`;
}

/**
 * The routes: PUBLISH and SUBSCRIBE (new ones, and refreshes sent straight to server_address) are
 * answered here. Loopback sandbox: no credentials asked for either (pua's own PUBLISHes have none).
 */
export const PRESENCE_ROUTE = `route[PRESENCE] {
    if (!is_method("PUBLISH|SUBSCRIBE")) return;
    if (is_method("SUBSCRIBE") && !($hdr(Event) =~ "^(dialog|message-summary|presence)")) {
        sl_send_reply("489", "Bad Event");
        exit;
    }
    xlog("L_NOTICE", "PRES $rm $ru event $hdr(Event) from $pr:$si:$sp\\n");
    if (!t_newtran()) {
        sl_reply_error();
        exit;
    }
    if (is_method("PUBLISH")) {
        handle_publish();
    } else {
        handle_subscribe();
    }
    t_release();
    exit;
}
`;
